/* UNIDIRECTIONAL_SEQUENCE_LSTM, int8 activations and weights, int16 cell state (TFLM
 * micro/kernels/lstm_eval.cc, integer path; no peephole, projection or layer norm). Each gate is
 * activation(FC(input) + FC(hidden)) in Q3.12 -> Q0.15; the gate buffers are arena scratch the
 * host placed after the tensors. Params: docs/tinyml-plan.md. */
#include "../tm_fixedpoint.h"
#include "../tm_kernel.h"

#if defined(TM_PROGMEM)
#define TM_TABLE PROGMEM
#else
#define TM_TABLE
#endif

/* TFLM's sigmoid_table_uint16 (tensorflow/lite/kernels/internal/common.h, Apache-2.0, The
 * TensorFlow Authors), kept as data: several entries differ by one from a plain rounding. */
static const uint16_t sigmoid_table[256] TM_TABLE = {
  32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794, 41432, 42064, 42688,
  43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409,
  51865, 52311, 52745, 53169, 53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
  57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110,
  61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186,
  63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
  64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900,
  64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208,
  65221, 65234, 65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
  65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433, 65438, 65442, 65445, 65449,
  65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491,
  65493, 65495, 65497, 65498, 65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
  65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
  65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530,
  65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
  65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535,
};

static int32_t table_at(int32_t i) { return (int32_t)tm_read_u16((const uint8_t *)sigmoid_table + 2 * i); }

static int16_t sat16(int32_t v) { return (int16_t)tm_clamp(v, -32768, 32767); }

/* reference_integer_ops::Logistic (int16) with its pre-scale; Q0.15 out. */
static int16_t logistic16(int32_t value, int32_t multiplier, int32_t left_shift) {
  int32_t round = left_shift > 0 ? (int32_t)1 << (left_shift - 1) : 0;
  int32_t scaled = (value * multiplier + round) >> left_shift;
  int32_t magnitude = scaled < 0 ? -scaled : scaled, index = magnitude >> 9;
  uint32_t result;
  if (index >= 255) result = (uint32_t)0x7fff << 10;
  else result = (uint32_t)(table_at(index) * 512 + (magnitude & 0x1ff) * (table_at(index + 1) - table_at(index)));
  result = scaled >= 0 ? result + 512u : 33554432u - result + 511u;
  return (int16_t)(uint16_t)(result >> 10);
}

/* reference_integer_ops::Tanh (int16); Q0.15 out. */
static int16_t tanh16(int32_t value, int32_t multiplier, int32_t left_shift) {
  int32_t round = left_shift > 0 ? (int32_t)1 << (left_shift - 1) : 0;
  int32_t scaled = (value * multiplier + round) >> left_shift;
  int32_t magnitude = scaled < 0 ? -scaled : scaled, index = magnitude >> 8, result;
  if (index >= 255) result = (int32_t)0xffff << 8;
  else result = table_at(index) * 256 + (magnitude & 0xff) * (table_at(index + 1) - table_at(index));
  result = scaled >= 0 ? result - 8388608L + 128 : -result + 8388608L + 128 - 1;
  return (int16_t)(uint16_t)((uint32_t)(result >> 8) & 0xFFFFu);
}

typedef struct {
  const tm_op *op;
  const int8_t *input;
  const int8_t *hidden;
  int32_t input_dim, state_dim, step_batches, input_offset, hidden_offset, gate_tanh_mult, gate_tanh_shift;
} lstm_step;

#define GATE_PARAM(g, k) (25u + 7u * (uint32_t)(g) + (k))

static tm_status gate(const lstm_step *s, int g, int32_t input_row, int32_t state_offset, int16_t *out, int tanh) {
  const uint8_t *w_in = tm_tensor_bytes(tm_param(s->op, GATE_PARAM(g, 0)));
  const uint8_t *w_rec = tm_tensor_bytes(tm_param(s->op, GATE_PARAM(g, 1)));
  const uint8_t *bias = tm_tensor_bytes(tm_param(s->op, GATE_PARAM(g, 2)));
  int32_t in_mult = tm_param(s->op, GATE_PARAM(g, 3)), in_shift = tm_param(s->op, GATE_PARAM(g, 4));
  int32_t rec_mult = tm_param(s->op, GATE_PARAM(g, 5)), rec_shift = tm_param(s->op, GATE_PARAM(g, 6));
  int32_t b, u, k;
  if (!w_in || !w_rec || !bias) return TM_ERR_TENSOR;
  for (b = 0; b < s->step_batches; b++) {
    const int8_t *x = s->input + (input_row + b) * s->input_dim;
    const int8_t *h = s->hidden + state_offset + b * s->state_dim;
    for (u = 0; u < s->state_dim; u++) {
      int32_t from_input = tm_read_i32(bias + 4 * u), from_hidden = 0, sum;
      for (k = 0; k < s->input_dim; k++) from_input += (int32_t)TM_READ_I8(w_in + u * s->input_dim + k) * (x[k] + s->input_offset);
      for (k = 0; k < s->state_dim; k++) from_hidden += (int32_t)TM_READ_I8(w_rec + u * s->state_dim + k) * (h[k] + s->hidden_offset);
      sum = (int32_t)sat16(tm_mbqm(from_input, in_mult, in_shift)) + sat16(tm_mbqm(from_hidden, rec_mult, rec_shift));
      out[b * s->state_dim + u] = tanh ? tanh16(sat16(sum), s->gate_tanh_mult, s->gate_tanh_shift) : logistic16(sat16(sum), 3, 0);
    }
  }
  return TM_OK;
}

enum { GATE_INPUT = 0, GATE_FORGET = 1, GATE_CELL = 2, GATE_OUTPUT = 3 };

tm_status tm_kernel_lstm(const tm_op *op) {
  lstm_step s;
  int8_t *hidden = (int8_t *)tm_tensor_arena(tm_param(op, 1));
  int16_t *cell = (int16_t *)(void *)tm_tensor_arena(tm_param(op, 2));
  int8_t *output = (int8_t *)tm_tensor_arena(tm_param(op, 3));
  int32_t time_major = tm_param(op, 5), batches = tm_param(op, 6), steps = tm_param(op, 7);
  int32_t hidden_zp = tm_param(op, 12), clip = tm_param(op, 13), clip_on = tm_param(op, 14);
  int32_t cell_tanh_mult = tm_param(op, 15), cell_tanh_shift = tm_param(op, 16);
  int32_t count, seq, t, i, in_pos = 0, out_pos = 0, state_offset = 0, in_step, out_step;
  int16_t *forget, *input_gate, *cell_gate;
  tm_status status;
  s.op = op;
  s.input = (const int8_t *)tm_tensor_bytes(tm_param(op, 0));
  s.hidden = hidden;
  s.input_dim = tm_param(op, 8);
  s.state_dim = tm_param(op, 9);
  s.step_batches = time_major ? batches : 1;
  s.input_offset = tm_param(op, 10);
  s.hidden_offset = tm_param(op, 11);
  s.gate_tanh_mult = tm_param(op, 17);
  s.gate_tanh_shift = tm_param(op, 18);
  count = s.step_batches * s.state_dim;
  forget = (int16_t *)(void *)tm_arena_at((uint32_t)tm_param(op, 4), (uint32_t)(3 * count * 2));
  if (!s.input || !hidden || !cell || !output || !forget) return TM_ERR_TENSOR;
  input_gate = forget + count;
  cell_gate = input_gate + count;
  in_step = time_major ? s.input_dim * batches : s.input_dim;
  out_step = time_major ? s.state_dim * batches : s.state_dim;
  for (seq = 0; seq < (time_major ? 1 : batches); seq++) {
    for (t = 0; t < steps; t++) {
      int32_t row = in_pos / s.input_dim;
      if ((status = gate(&s, GATE_FORGET, row, state_offset, forget, 0)) != TM_OK) return status;
      if ((status = gate(&s, GATE_INPUT, row, state_offset, input_gate, 0)) != TM_OK) return status;
      if ((status = gate(&s, GATE_CELL, row, state_offset, cell_gate, 1)) != TM_OK) return status;
      for (i = 0; i < count; i++) {
        int32_t kept = sat16(tm_mbqm((int32_t)forget[i] * cell[state_offset + i], tm_param(op, 19), tm_param(op, 20)));
        int32_t added = sat16(tm_mbqm((int32_t)input_gate[i] * cell_gate[i], tm_param(op, 21), tm_param(op, 22)));
        int32_t updated = sat16(kept + added);
        if (clip_on) updated = updated > clip ? clip : (updated < -clip ? -clip : updated);
        cell[state_offset + i] = (int16_t)updated;
      }
      if ((status = gate(&s, GATE_OUTPUT, row, state_offset, input_gate, 0)) != TM_OK) return status;
      for (i = 0; i < count; i++) {
        int32_t activated = tanh16(cell[state_offset + i], cell_tanh_mult, cell_tanh_shift);
        int32_t value = tm_clamp(hidden_zp + tm_mbqm(activated * input_gate[i], tm_param(op, 23), tm_param(op, 24)), -128, 127);
        hidden[state_offset + i] = (int8_t)value;
        output[out_pos + i] = (int8_t)value;
      }
      in_pos += in_step;
      out_pos += out_step;
    }
    state_offset += time_major ? 0 : s.state_dim;
  }
  return TM_OK;
}

/* LOGISTIC and TANH int16 (reference_integer_ops Logistic/Tanh): the LSTM's gate functions on a
 * whole tensor, kept here beside the table they share. Params: input, output, count, tanh, the
 * input rescale multiplier and left shift (CalculateArithmeticOpData, computed on the host). */
tm_status tm_kernel_sigmoid_int16(const tm_op *op) {
  const int16_t *input = (const int16_t *)tm_tensor_arena(tm_param(op, 0));
  int16_t *output = (int16_t *)tm_tensor_arena(tm_param(op, 1));
  int32_t count = tm_param(op, 2), tanh = tm_param(op, 3), multiplier = tm_param(op, 4), left_shift = tm_param(op, 5), i;
  if (!input || !output) return TM_ERR_TENSOR;
  for (i = 0; i < count; i++) output[i] = tanh ? tanh16(input[i], multiplier, left_shift) : logistic16(input[i], multiplier, left_shift);
  return TM_OK;
}
