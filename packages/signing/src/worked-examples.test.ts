import * as signing from './index.js';
import { describeWorkedExamples } from './test-support.js';

describeWorkedExamples('node:crypto path', signing);
