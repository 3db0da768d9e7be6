import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * For the test suite's action coverage (test/action-coverage.ts): when RDMC_TEST_ACTION_LOG
 * names a folder, every RPC request answered appends `<version> <action> <status>` to a file of
 * this process's own there. Test files run in parallel processes (and spawn servers), so each
 * writes its own file, lines only appended. Unset, as in production, this is null and a
 * request pays one comparison.
 */
export const recordAction = actionLog(process.env.RDMC_TEST_ACTION_LOG);

function actionLog(folder: string | undefined): ((version: string, action: string, status: number) => void) | null {
  if (!folder) return null;
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `${process.pid}.log`);
  return (version, action, status) => appendFileSync(file, `${version} ${action} ${status}\n`);
}
