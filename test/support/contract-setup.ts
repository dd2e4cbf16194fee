// Jest setupFilesAfterEnv of the e2e project: a response that the OpenAPI document does not describe
// fails the test that received it (test/support/contract.ts). Responses sent in beforeAll hooks fail
// the file's first test; those of afterAll hooks fail the file.
import { takeViolations, type ContractViolation } from './contract.js';

const report = process.env.CONTRACT_CHECK === 'report';

function raise(where: string, found: ContractViolation[]): void {
  if (found.length === 0) return;
  const lines = found.slice(0, 10).map((v) => `  ${v.operation} → ${v.status}: ${v.problem}`);
  const text = `${found.length} response(s) ${where} do not match the OpenAPI document:\n${lines.join('\n')}${found.length > 10 ? `\n  ... and ${found.length - 10} more` : ''}`;
  if (report) console.warn(text);
  else throw new Error(text);
}

beforeEach(() => raise('sent before this test (beforeAll)', takeViolations()));
afterEach(() => raise('sent during this test', takeViolations()));
afterAll(() => raise('sent in afterAll', takeViolations()));
