/** A problem with representative or evaluation data: wrong size, NaN/Inf, unreadable file, bad labels. */
export class SampleError extends Error {
  override name = 'SampleError';
}
