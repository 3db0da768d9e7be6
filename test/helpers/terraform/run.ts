import assert from 'node:assert/strict';
import type { SigningKey } from '../keys.js';
import { KEYS, startTestServer, type TestServer } from '../server.js';
import { planDiff, Provider, type ResourceModel, type State } from './provider.js';
import { teaRpc } from './tea-rpc.js';

/** One managed resource in the replay's state file. */
export interface Managed {
  model: ResourceModel;
  id: string;
  config: State;
  state: State;
}

/** Refresh, then plan: the plan must be empty. */
export async function refresh(r: Managed): Promise<Managed> {
  const state = await r.model.read(r.id);
  assert.ok(state, `${r.model.name} ${r.id} vanished on refresh`);
  assert.deepEqual(planDiff(r.model, r.config, state), [], `${r.model.name}: the plan after apply is not empty`);
  return { ...r, state };
}

/** `terraform apply` of a new resource: Create (with its Update tail), the Read it ends with, then an empty plan. */
export async function create(model: ResourceModel, config: State): Promise<Managed> {
  const id = await model.create(config);
  return refresh({ model, id, config, state: {} });
}

/** `terraform apply` of a changed configuration: Update, Read, an empty plan. */
export async function change(r: Managed, config: State): Promise<Managed> {
  await r.model.update(r.id, r.config, config);
  return refresh({ ...r, config });
}

/**
 * `terraform apply` of a ForceNew change ("must be replaced"): Terraform's default order, the
 * old object's Delete, then a Create with the new configuration, its Read and an empty plan.
 */
export async function replace(r: Managed, config: State): Promise<Managed> {
  await r.model.delete(r.id, r.config);
  assert.equal(await r.model.read(r.id), null, `${r.model.name} ${r.id} still readable after its replacement's destroy`);
  return create(r.model, config);
}

/** `terraform import` then ImportStateVerify: a fresh Read by ID alone gives the same state. */
export async function importVerify(r: Managed): Promise<void> {
  const imported = await r.model.read(r.id);
  assert.ok(imported, `${r.model.name} ${r.id} cannot be imported`);
  const ignore = new Set(r.model.importIgnore ?? []);
  const strip = (s: State) => Object.fromEntries(Object.entries(s).filter(([k]) => !ignore.has(k)));
  assert.deepEqual(strip(imported), strip(r.state));
}

/**
 * `terraform destroy`: Delete; then the acceptance test's CheckDestroy (the describe call
 * finds nothing); then a destroy retried by a run that failed half way, which must succeed too.
 */
export async function destroy(r: Managed, again: State = r.config): Promise<void> {
  await r.model.delete(r.id, r.config);
  assert.equal(await r.model.read(r.id), null, `${r.model.name} ${r.id} still readable after destroy`);
  await r.model.delete(r.id, again);
}

/** A whole acceptance test: create with the first configuration, one apply per further one, import, destroy. */
export async function lifecycle(model: ResourceModel, steps: State[], destroyAgain?: State): Promise<Managed> {
  let r = await create(model, steps[0]!);
  for (const config of steps.slice(1)) r = await change(r, config);
  await importVerify(r);
  await destroy(r, destroyAgain);
  return r;
}

/** A fresh rdmc on port 0 and the provider signing with `key`: the set-up of every replay file. */
export async function startReplay(key: SigningKey = KEYS.main): Promise<{ server: TestServer; tf: Provider }> {
  const server = await startTestServer();
  return { server, tf: new Provider(teaRpc(server.url, key)) };
}
