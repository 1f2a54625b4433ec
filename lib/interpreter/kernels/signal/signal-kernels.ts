// The TFLM Signal library's custom ops (signal/micro/kernels/register_signal_ops.h), registered
// by custom code in ../index.ts.
import type { Kernel } from '../kernel.js';
import { SIGNAL_ENERGY } from './energy.js';
import { SIGNAL_FFT_AUTO_SCALE } from './fft-auto-scale.js';
import { SIGNAL_FILTER_BANK } from './filter-bank.js';
import { SIGNAL_FILTER_BANK_LOG } from './filter-bank-log.js';
import { SIGNAL_FILTER_BANK_SPECTRAL_SUBTRACTION } from './filter-bank-spectral-subtraction.js';
import { SIGNAL_FILTER_BANK_SQUARE_ROOT } from './filter-bank-square-root.js';
import { SIGNAL_PCAN } from './pcan.js';
import { SIGNAL_RFFT } from './rfft.js';
import { SIGNAL_WINDOW } from './window.js';

export const SIGNAL_KERNELS: Readonly<Record<string, Kernel>> = {
  SignalEnergy: SIGNAL_ENERGY,
  SignalFftAutoScale: SIGNAL_FFT_AUTO_SCALE,
  SignalFilterBank: SIGNAL_FILTER_BANK,
  SignalFilterBankLog: SIGNAL_FILTER_BANK_LOG,
  SignalFilterBankSpectralSubtraction: SIGNAL_FILTER_BANK_SPECTRAL_SUBTRACTION,
  SignalFilterBankSquareRoot: SIGNAL_FILTER_BANK_SQUARE_ROOT,
  SignalPCAN: SIGNAL_PCAN,
  SignalRfft: SIGNAL_RFFT,
  SignalWindow: SIGNAL_WINDOW,
};
