import { operationsContract } from '@/features/workflows/operations-contract';
import * as operations from './operations';

operationsContract('builder', operations, 5);
