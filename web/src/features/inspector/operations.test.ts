import { operationsContract } from '@/features/workflows/operations-contract';
import * as operations from './operations';

operationsContract('inspector', operations, 4);
