import { operationsContract } from './operations-contract';
import * as operations from './operations';

operationsContract('workflows', operations, 5);
