import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KEYS, type TestServer } from '../helpers/server.js';
import { Provider } from '../helpers/terraform/provider.js';
import { change, create, destroy, importVerify, lifecycle, startReplay } from '../helpers/terraform/run.js';
import { RM20 } from '../helpers/terraform/tea-rpc.js';

/**
 * alicloud_resource_manager_resource_directory and data.alicloud_resource_manager_resource_directories
 * replayed as the provider runs them (docs/compatibility.md, "Terraform"): InitResourceDirectory on
 * ResourceManager 2020-03-31, reads and the display-name switch on ResourceDirectoryMaster 2022-04-19.
 * `other` has no directory yet, as a real account before its first apply.
 */
let server: TestServer;
let tf: Provider;
before(async () => {
  ({ server, tf } = await startReplay(KEYS.other));
});
after(() => server.stop());

const all = (value: string) => ({ status: value, member_deletion_status: value, member_account_display_name_sync_status: value });

test('basic11158: {} then every switch Enabled, then Disabled; import; destroy twice', async () => {
  const r = await lifecycle(tf.resourceDirectory, [{}, all('Enabled'), all('Disabled')]);
  assert.equal(r.state.master_account_id, KEYS.other.accountId);
  assert.match(r.state.root_folder_id as string, /^r-/);
  assert.match(r.state.create_time as string, /Z$/);
  assert.equal(r.state.master_account_name, `${KEYS.other.accountId}@aliyun.com`);
});

test('basic11239: created with every switch Enabled in one apply, then all Disabled; the data source reads ScpStatus', async () => {
  let r = await create(tf.resourceDirectory, all('Enabled'));
  assert.deepEqual(await tf.resourceDirectories(), [
    {
      id: r.id,
      resource_directory_id: r.id,
      master_account_id: KEYS.other.accountId,
      master_account_name: r.state.master_account_name,
      root_folder_id: r.state.root_folder_id,
      status: 'Enabled',
    },
  ]);
  r = await change(r, all('Disabled'));
  assert.equal((await tf.resourceDirectories())[0]!.status, 'Disabled');
  await importVerify(r);
  await destroy(r);
  // Without a directory the data source fails (there is no empty-list path): 404 ResourceDirectoryNotInUse.
  await assert.rejects(tf.resourceDirectories(), (err: any) => err.statusCode === 404 && err.code === 'ResourceDirectoryNotInUse');
});

test('a second InitResourceDirectory is 409 EntityAlreadyExists.ResourceDirectory; destroy refuses a directory with folders', async () => {
  const r = await create(tf.resourceDirectory, {});
  await assert.rejects(tf.call(RM20, 'InitResourceDirectory'), (err: any) => err.statusCode === 409 && err.code === 'EntityAlreadyExists.ResourceDirectory');
  const folder = await create(tf.folder, { folder_name: 'blocker' });
  await assert.rejects(tf.resourceDirectory.delete(r.id, {}), (err: any) => err.statusCode === 409 && err.code === 'DeleteConflict.ResourceDirectory.Folder');
  await destroy(folder);
  await destroy(r);
});
