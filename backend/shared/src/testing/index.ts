export { findProgram, requireProgram, REQUIRE_ALL_PROGRAMS_VARIABLE } from './system-program.js';
export { freePort } from './free-port.js';
export { startSourceProcess, type SourceProcess } from './source-process.js';
export { killWritersMidStream } from './killed-writer.js';
export { startRecordingProxy, type RecordedRequest, type RecordingProxy } from './recording-proxy.js';
export { startOtlpReceiver, type OtlpReceiver, type OtlpReceiverOptions } from './otlp-receiver.js';
export type { ReceivedSpan, ReceivedLog, OtlpAttributes } from './otlp-protobuf.js';
