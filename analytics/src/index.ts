export {
  type BatchEncoder,
  type BatchEncoderOptions,
  type EncodedBatch,
  createBatchEncoder,
} from './batch-encoder';
export { type Batch, type BatchInsert, batchInsert, batchToken, isMalformed } from './batch-insert';
export { type AnalyticsTarget, type ClickHouseClient, createAnalyticsClient, describeTarget } from './clickhouse';
export { folderHolder } from './folder-holder';
export { type EventRow, type RowContext, eventRows } from './event-row';
export {
  type EventSink,
  type EventSinkOptions,
  type EventSinkStats,
  type SinkOperation,
  createEventSink,
} from './event-sink';
export { MIGRATIONS_DIR, type Migration, loadMigrations, migrate, splitStatements } from './migrate';
export { createRowContext } from './row-context';
export { type SpillFile, type SpillFileOptions, createSpillFile } from './spill-file';
export {
  type AgentRecentSuccess,
  type PredictionHistory,
  type PredictionInput,
  type WorkflowHistoryRow,
  parsePlanShape,
} from './prediction/features';
export { auc, brierScore, calibrationError } from './prediction/metrics';
export {
  type HistoryPredictor,
  type HistoryPredictorOptions,
  type PredictFromHistoryOptions,
  createHistoryPredictor,
  predictFromHistory,
} from './prediction/predictor';
export { type HoldoutReport, type PredictionModel, type TrainOptions, trainPredictionModel } from './prediction/train';
export {
  type NamedQuery,
  QUERIES_DIR,
  QUERY_NAMES,
  type QueryName,
  type QueryParams,
  type QueryRow,
  namedQueries,
  namedQuery,
  querySql,
  runQuery,
  toClickHouseTime,
} from './queries';
export { type ClickHouseHistoryOptions, createClickHouseHistory } from './history-port';
