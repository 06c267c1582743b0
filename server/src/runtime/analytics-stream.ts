/**
 * Run events from every replica to ClickHouse through one Redis stream: replicas append them
 * (`createAnalyticsStreamWriter`), ingesters take them into ClickHouse (`startIngester`). The two
 * sides live in their own modules, with the wire format they share in `analytics-stream-wire`;
 * this one names both.
 */
export {
  type AnalyticsStreamWriter,
  type AnalyticsStreamWriterOptions,
  type AnalyticsStreamWriterStats,
  createAnalyticsStreamWriter,
} from './analytics-stream-writer';
export {
  type AnalyticsRecorder,
  type Ingester,
  type IngesterOptions,
  type IngesterStats,
  startIngester,
} from './analytics-ingester';
