// The TFLM Signal library's custom ops (signal/micro/kernels/register_signal_ops.h), registered
// by custom code in ../index.ts.
import type { Kernel } from '../kernel.js';
import { SIGNAL_DELAY } from './delay.js';
import { SIGNAL_ENERGY } from './energy.js';
import { SIGNAL_FFT_AUTO_SCALE } from './fft-auto-scale.js';
import { SIGNAL_FILTER_BANK } from './filter-bank.js';
import { SIGNAL_FILTER_BANK_LOG } from './filter-bank-log.js';
import { SIGNAL_FILTER_BANK_SPECTRAL_SUBTRACTION } from './filter-bank-spectral-subtraction.js';
import { SIGNAL_FILTER_BANK_SQUARE_ROOT } from './filter-bank-square-root.js';
import { SIGNAL_FRAMER } from './framer.js';
import { SIGNAL_IRFFT } from './irfft.js';
import { SIGNAL_OVERLAP_ADD } from './overlap-add.js';
import { SIGNAL_PCAN } from './pcan.js';
import { SIGNAL_RFFT } from './rfft.js';
import { SIGNAL_STACKER } from './stacker.js';
import { SIGNAL_WINDOW } from './window.js';

export const SIGNAL_KERNELS: Readonly<Record<string, Kernel>> = {
  SignalDelay: SIGNAL_DELAY,
  SignalEnergy: SIGNAL_ENERGY,
  SignalFftAutoScale: SIGNAL_FFT_AUTO_SCALE,
  SignalFilterBank: SIGNAL_FILTER_BANK,
  SignalFilterBankLog: SIGNAL_FILTER_BANK_LOG,
  SignalFilterBankSpectralSubtraction: SIGNAL_FILTER_BANK_SPECTRAL_SUBTRACTION,
  SignalFilterBankSquareRoot: SIGNAL_FILTER_BANK_SQUARE_ROOT,
  SignalFramer: SIGNAL_FRAMER,
  SignalIrfft: SIGNAL_IRFFT,
  SignalOverlapAdd: SIGNAL_OVERLAP_ADD,
  SignalPCAN: SIGNAL_PCAN,
  SignalRfft: SIGNAL_RFFT,
  SignalStacker: SIGNAL_STACKER,
  SignalWindow: SIGNAL_WINDOW,
};
