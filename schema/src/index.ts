export type {
  ActorUpdate,
  ActorView,
  ConversationFeedItem,
  FeedbackArgs,
  ModelInfo,
  PageArgs,
  RevoApi,
  RunWorkflowArgs,
  SaveTemplateArgs,
  SendMessageArgs,
  WorkflowFeedItem,
} from './api';
export { ApiError, type ApiErrorCode } from './api-error';
export type { SchemaContext } from './builder';
export { costBreakdown, type CostLine } from './cost-breakdown';
export { printedSchema, schema } from './schema';
