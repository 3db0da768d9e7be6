import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TestServer } from '../helpers/server.js';
import { Provider } from '../helpers/terraform/provider.js';
import { create, destroy, lifecycle, startReplay } from '../helpers/terraform/run.js';
import { RDM22, RM20 } from '../helpers/terraform/tea-rpc.js';

/**
 * alicloud_resource_manager_folder and data.alicloud_resource_manager_folders replayed as the
 * provider runs them: folders on ResourceManager 2020-03-31, their tags on ResourceDirectoryMaster
 * 2022-04-19 with ResourceType=Folder (docs/compatibility.md, "Terraform").
 */
let server: TestServer;
let tf: Provider;
let root: string;
before(async () => {
  ({ server, tf } = await startReplay());
  root = (await tf.call(RM20, 'GetResourceDirectory')).ResourceDirectory.RootFolderId;
});
after(() => server.stop());

test('basic11250: name, new name, tags, changed tags, no tags; a top-level folder has the Root as parent; import; destroy twice', async () => {
  const name = 'tf-testacc1';
  const r = await lifecycle(tf.folder, [
    { folder_name: name },
    { folder_name: `${name}_update` },
    { folder_name: `${name}_update`, tags: { Created: 'TF', For: 'Test' } },
    { folder_name: `${name}_update`, tags: { Created: 'TF-update', For: 'Test-update' } },
    { folder_name: `${name}_update` },
  ]);
  assert.equal(r.state.parent_folder_id, root);
  assert.deepEqual(r.state.tags, {});
});

test('basic11250_twin: under a super folder, with tags from the start', async () => {
  const superFolder = await create(tf.folder, { folder_name: 'tf-testacc2-super' });
  const r = await create(tf.folder, { folder_name: 'tf-testacc2', parent_folder_id: superFolder.id, tags: { Created: 'TF', For: 'Test' } });
  assert.deepEqual(r.state.tags, { Created: 'TF', For: 'Test' });
  // Deleting the parent first is refused; Terraform orders the child before it.
  await assert.rejects(tf.folder.delete(superFolder.id, {}), (err: any) => err.code === 'DeleteConflict.Folder.SubFolder');
  await destroy(r);
  await destroy(superFolder);
});

test('tags read back page by page: NextToken only while another page exists', async () => {
  const r = await create(tf.folder, { folder_name: 'paged', tags: Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`k${i}`, `v${i}`])) });
  // The provider sends no MaxResults: the default page of 10 is followed by one of 5, which carries no NextToken.
  const first = await tf.call(RDM22, 'ListTagResources', { ResourceType: 'Folder', 'ResourceId.1': r.id });
  assert.equal(first.TagResources.length, 10);
  const second = await tf.call(RDM22, 'ListTagResources', { ResourceType: 'Folder', 'ResourceId.1': r.id, NextToken: first.NextToken });
  assert.equal(second.TagResources.length, 5);
  assert.equal('NextToken' in second, false);
  assert.equal(Object.keys(r.state.tags as object).length, 15);
  await destroy(r);
});

test('folders data source basic0/1: ids, name_regex, parent_folder_id, query_keyword, enable_details, and fakes', async () => {
  const parent = await create(tf.folder, { folder_name: 'tf-ds-default' });
  const sub = await create(tf.folder, { folder_name: 'tf-ds-sub', parent_folder_id: parent.id });
  const only = (ids: string[]) => ({ ids, names: ids.length ? ['tf-ds-default'] : [] });
  const pick = (out: Awaited<ReturnType<Provider['folders']>>) => ({ ids: out.ids, names: out.names });

  assert.deepEqual(pick(await tf.folders({ ids: [parent.id] })), only([parent.id]));
  assert.deepEqual(pick(await tf.folders({ ids: [`${parent.id}_fake`] })), only([]));
  assert.deepEqual(pick(await tf.folders({ name_regex: 'tf-ds-default' })), only([parent.id]));
  assert.deepEqual(pick(await tf.folders({ name_regex: 'tf-ds-default_fake' })), only([]));
  // parent_folder_id lists that folder's children: the sub folder only.
  assert.deepEqual((await tf.folders({ parent_folder_id: parent.id })).ids, [sub.id]);
  // query_keyword without a parent: the Root's direct children whose name contains it (not the sub folder).
  assert.deepEqual((await tf.folders({ query_keyword: 'tf-ds' })).ids, [parent.id]);
  const basic0 = await tf.folders({ ids: [parent.id], name_regex: 'tf-ds-default', query_keyword: 'tf-ds-default', parent_folder_id: root });
  assert.deepEqual(basic0.folders, [{ id: parent.id, folder_id: parent.id, folder_name: 'tf-ds-default', parent_folder_id: '' }]);
  const basic1 = await tf.folders({ ids: [parent.id], enable_details: true });
  assert.equal(basic1.folders[0]!.parent_folder_id, root);
  await destroy(sub);
  await destroy(parent);
});

test('paging: the data source reads pages of 50 until a short one', async () => {
  const created = [];
  for (let i = 0; i < 51; i++) created.push((await tf.call(RM20, 'CreateFolder', { FolderName: `bulk-${i}` })).Folder.FolderId as string);
  const out = await tf.folders({ name_regex: '^bulk-' });
  assert.deepEqual([...out.ids].sort(), [...created].sort());
  for (const id of created) await tf.call(RM20, 'DeleteFolder', { FolderId: id });
});
