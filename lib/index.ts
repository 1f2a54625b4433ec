export * from "./model/schema/tflite.js";
