// The greedy planner against offsets worked out by hand (sizes round up to 16 bytes; largest
// first, equal sizes in reverse request order as TFLM's GreedyMemoryPlanner leaves them; each at
// the lowest offset clear of every placed buffer alive at the same time).
import assert from 'node:assert/strict';
import { planMemory } from '../../lib/interpreter/planner.js';

describe('interpreter: greedy memory planner', function () {
  it('reuses memory of buffers whose lifetimes do not overlap', function () {
    // A 100 B (112 aligned) [0,1] -> 0; B 50 B (64) [1,2] overlaps A -> 112;
    // C 30 B (32) [2,3] overlaps only B (112..176) -> fits at 0.
    const plan = planMemory([
      { size: 100, firstUse: 0, lastUse: 1 },
      { size: 50, firstUse: 1, lastUse: 2 },
      { size: 30, firstUse: 2, lastUse: 3 },
    ]);
    assert.deepEqual(plan.offsets, [0, 112, 0]);
    assert.equal(plan.usedBytes, 176);
  });

  it('places largest first and takes the lowest gap, skipping past every conflict', function () {
    // Requests in index order (small ones first, to check the sort):
    // Z 16 [1,3], W 32 [2,3], V 32 [1,2], U 64 [0,1].
    // Order by size: U, then the 32-byte pair later request first: V, then W.
    // U -> 0. V [1,2] meets U (0..64) -> 64. W [2,3] meets only V (64..96) -> 0.
    // Z [1,3] meets U (0..64), W (0..32), V (64..96) -> 96.
    const plan = planMemory([
      { size: 16, firstUse: 1, lastUse: 3 },
      { size: 32, firstUse: 2, lastUse: 3 },
      { size: 32, firstUse: 1, lastUse: 2 },
      { size: 64, firstUse: 0, lastUse: 1 },
    ]);
    assert.deepEqual(plan.offsets, [96, 0, 64, 0]);
    assert.equal(plan.usedBytes, 112);
  });

  it('fills a gap between two placed buffers when it is large enough', function () {
    // X 64 [0,0] -> 0; of the 32-byte pair Z (later) first: Z [0,1] meets X (0..64) -> 64;
    // Y [1,2] meets Z (64..96) -> 0; W 1 B (16) [1,1] meets Y (0..32) and Z (64..96) -> the gap at 32.
    const plan = planMemory([
      { size: 64, firstUse: 0, lastUse: 0 },
      { size: 32, firstUse: 1, lastUse: 2 },
      { size: 32, firstUse: 0, lastUse: 1 },
      { size: 1, firstUse: 1, lastUse: 1 },
    ]);
    assert.deepEqual(plan.offsets, [0, 0, 64, 32]);
    assert.equal(plan.usedBytes, 96);
    // Size order, not request order: the 64-byte buffer takes 0 and the smaller one goes after it.
    assert.deepEqual(planMemory([{ size: 16, firstUse: 0, lastUse: 0 }, { size: 64, firstUse: 0, lastUse: 0 }]).offsets, [64, 0]);
  });

  it('places fixed (offline) offsets first and fits the others around them', function () {
    // A 64 B [0,1] fixed at 32. Online by size: C 48 B [1,1] meets A (32..96): 0 + 48 > 32 -> 96.
    // B 16 B [0,0] meets only A (C lives at 1): 0 + 16 <= 32 -> 0. Highest end 96 + 48 = 144.
    const plan = planMemory([
      { size: 64, firstUse: 0, lastUse: 1, offset: 32 },
      { size: 16, firstUse: 0, lastUse: 0 },
      { size: 48, firstUse: 1, lastUse: 1 },
    ]);
    assert.deepEqual(plan.offsets, [32, 0, 96]);
    assert.equal(plan.usedBytes, 144);
  });

  it('sorts by the rounded-up size, as TFLM adds aligned sizes to its planner', function () {
    // P 20 B and Q 32 B both take 32 B, so the later request, P, goes first -> 0; Q -> 32.
    // (Sorting the raw sizes would put Q first at 0.)
    assert.deepEqual(planMemory([{ size: 32, firstUse: 0, lastUse: 0 }, { size: 20, firstUse: 0, lastUse: 0 }]).offsets, [32, 0]);
  });

  it('refuses an invalid request', function () {
    assert.throws(() => planMemory([{ size: 16, firstUse: 0, lastUse: 0, offset: -4 }]), /buffer 0: .*offset -4/);
    assert.throws(() => planMemory([{ size: 16, firstUse: 2, lastUse: 1 }]), /buffer 0/);
  });
});
