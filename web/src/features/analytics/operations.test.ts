import { operationsContract } from '@/features/workflows/operations-contract';
import * as operations from './operations';

operationsContract('analytics', operations, 1);
