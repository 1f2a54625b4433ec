// The C runtime's kernels, by the id the plan stores (firmware/runtime/tm_kernel.h holds the same
// numbers) and the C function the generated op table links in.

export interface CKernel {
  id: number;
  /** The C function in firmware/runtime/kernels. */
  symbol: string;
  /** The source file that defines it, relative to firmware/runtime. */
  source: string;
}

export const C_KERNELS = {
  FULLY_CONNECTED: { id: 1, symbol: 'tm_kernel_fully_connected', source: 'kernels/tm_fully_connected.c' },
  CONV_2D: { id: 2, symbol: 'tm_kernel_conv_2d', source: 'kernels/tm_conv_2d.c' },
  DEPTHWISE_CONV_2D: { id: 3, symbol: 'tm_kernel_depthwise_conv_2d', source: 'kernels/tm_depthwise_conv_2d.c' },
  AVERAGE_POOL_2D: { id: 4, symbol: 'tm_kernel_average_pool_2d', source: 'kernels/tm_pool_2d.c' },
  MAX_POOL_2D: { id: 5, symbol: 'tm_kernel_max_pool_2d', source: 'kernels/tm_pool_2d.c' },
  SOFTMAX: { id: 6, symbol: 'tm_kernel_softmax', source: 'kernels/tm_softmax.c' },
  COPY: { id: 7, symbol: 'tm_kernel_copy', source: 'kernels/tm_copy.c' },
  ADD: { id: 8, symbol: 'tm_kernel_add', source: 'kernels/tm_binary.c' },
  MEAN: { id: 9, symbol: 'tm_kernel_mean', source: 'kernels/tm_mean.c' },
  LUT: { id: 10, symbol: 'tm_kernel_lut', source: 'kernels/tm_lut.c' },
  CONCATENATION: { id: 11, symbol: 'tm_kernel_concatenation', source: 'kernels/tm_concatenation.c' },
  SVDF: { id: 12, symbol: 'tm_kernel_svdf', source: 'kernels/tm_svdf.c' },
  REQUANTIZE: { id: 13, symbol: 'tm_kernel_requantize', source: 'kernels/tm_requantize.c' },
  LSTM: { id: 14, symbol: 'tm_kernel_lstm', source: 'kernels/tm_lstm.c' },
  QUANTIZE_FLOAT: { id: 15, symbol: 'tm_kernel_quantize_float', source: 'kernels/tm_quantize_float.c' },
  MUL: { id: 16, symbol: 'tm_kernel_mul', source: 'kernels/tm_binary.c' },
  STRIDED_COPY: { id: 17, symbol: 'tm_kernel_strided_copy', source: 'kernels/tm_strided_copy.c' },
  FLOAT_INT16: { id: 18, symbol: 'tm_kernel_float_int16', source: 'kernels/tm_float_int16.c' },
  FULLY_CONNECTED_16X8: { id: 19, symbol: 'tm_kernel_fully_connected_16x8', source: 'kernels/tm_fully_connected_16x8.c' },
  CONV_2D_16X8: { id: 20, symbol: 'tm_kernel_conv_2d_16x8', source: 'kernels/tm_conv_2d.c' },
  DEPTHWISE_CONV_2D_16X8: { id: 21, symbol: 'tm_kernel_depthwise_conv_2d_16x8', source: 'kernels/tm_depthwise_conv_2d.c' },
  SOFTMAX_INT16: { id: 22, symbol: 'tm_kernel_softmax_int16', source: 'kernels/tm_softmax_int16.c' },
  // int16 LOGISTIC/TANH share sigmoid_table_uint16 with the LSTM, so they live in its file.
  SIGMOID_INT16: { id: 23, symbol: 'tm_kernel_sigmoid_int16', source: 'kernels/tm_lstm.c' },
  MIN_MAX: { id: 24, symbol: 'tm_kernel_min_max', source: 'kernels/tm_binary.c' },
  CAST: { id: 25, symbol: 'tm_kernel_cast', source: 'kernels/tm_cast.c' },
  DIV: { id: 26, symbol: 'tm_kernel_div', source: 'kernels/tm_binary.c' },
  SIGNAL_WINDOW: { id: 27, symbol: 'tm_kernel_signal_window', source: 'kernels/tm_signal.c' },
  SIGNAL_FFT_AUTO_SCALE: { id: 28, symbol: 'tm_kernel_signal_fft_auto_scale', source: 'kernels/tm_signal.c' },
  SIGNAL_RFFT: { id: 29, symbol: 'tm_kernel_signal_rfft', source: 'kernels/tm_signal_rfft.c' },
  SIGNAL_ENERGY: { id: 30, symbol: 'tm_kernel_signal_energy', source: 'kernels/tm_signal.c' },
  SIGNAL_FILTER_BANK: { id: 31, symbol: 'tm_kernel_signal_filter_bank', source: 'kernels/tm_signal.c' },
  SIGNAL_FILTER_BANK_SQUARE_ROOT: { id: 32, symbol: 'tm_kernel_signal_filter_bank_square_root', source: 'kernels/tm_signal.c' },
  SIGNAL_FILTER_BANK_SPECTRAL_SUBTRACTION: { id: 33, symbol: 'tm_kernel_signal_filter_bank_spectral_subtraction', source: 'kernels/tm_signal.c' },
  SIGNAL_PCAN: { id: 34, symbol: 'tm_kernel_signal_pcan', source: 'kernels/tm_signal.c' },
  SIGNAL_FILTER_BANK_LOG: { id: 35, symbol: 'tm_kernel_signal_filter_bank_log', source: 'kernels/tm_signal.c' },
  FLOAT_MUL: { id: 36, symbol: 'tm_kernel_float_mul', source: 'kernels/tm_binary.c' },
} as const satisfies Record<string, CKernel>;

export type CKernelName = keyof typeof C_KERNELS;

export function kernelById(id: number): [CKernelName, CKernel] | null {
  for (const [name, kernel] of Object.entries(C_KERNELS)) if (kernel.id === id) return [name as CKernelName, kernel];
  return null;
}
