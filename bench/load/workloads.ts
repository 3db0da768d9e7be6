import { expectOk, type HttpRequest, type HttpResponse } from './http.js';
import { ALTERNATE_CONTACT, awsAccount, jsonRequest, signedV1Form, signedV3, type AccessKey, type Params, type SigningKey } from './requests.js';

/**
 * What the generator runs, as plain data so it can cross the IPC channel. One "operation"
 * is the unit that is timed and counted: one request, or an Add + Delete cycle.
 */
export type Workload =
  | { kind: 'bare' }
  | { kind: 'rdmc-v3'; key: SigningKey; action: string; params: Params }
  | { kind: 'rdmc-add-delete-v1'; key: AccessKey }
  | { kind: 'moto-get' }
  | { kind: 'moto-put' }
  | { kind: 'route-message'; accountIds: string[]; messageType: string };

export type Send = (req: HttpRequest) => Promise<HttpResponse>;
export type Operation = (send: Send) => Promise<void>;

// Contact names must be 2-12 letters and unique in the directory: "Bench" + 7 letters from a
// process-wide counter gives 26^7 names, none reused for the life of the generator.
let nameCounter = 0;
export function nextContactName(): string {
  let n = nameCounter++;
  let letters = '';
  for (let i = 0; i < 7; i++) {
    letters = String.fromCharCode(97 + (n % 26)) + letters;
    n = Math.floor(n / 26);
  }
  return `Bench${letters}`;
}

/** Adds a contact and deletes it again (RetainContactInMembers=false), both signed v1. */
async function addDeleteCycle(send: Send, key: AccessKey): Promise<void> {
  const name = nextContactName();
  const add = await send(signedV1Form(key, 'AddMessageContact', { Name: name, EmailAddress: `${name}@example.com`, Title: 'CEO', MessageTypes: ['AccountExpenses'] }));
  const contactId = expectOk(add, 'AddMessageContact').Contact.ContactId as string;
  const del = await send(signedV1Form(key, 'DeleteMessageContact', { ContactId: contactId, RetainContactInMembers: 'false' }));
  expectOk(del, 'DeleteMessageContact');
}

/** Turns a workload into the operation a load slot repeats; `host` is what v3 signs. */
export function operationFor(workload: Workload, host: string): Operation {
  const one = (build: () => HttpRequest, what: string): Operation => async (send) => {
    expectOk(await send(build()), what);
  };
  switch (workload.kind) {
    case 'bare':
      return one(() => jsonRequest('GET', '/'), 'bare server');
    case 'rdmc-v3':
      return one(() => signedV3(host, workload.key, workload.action, workload.params), workload.action);
    case 'rdmc-add-delete-v1':
      return (send) => addDeleteCycle(send, workload.key);
    case 'moto-get':
      return one(() => awsAccount('getAlternateContact', { AlternateContactType: 'BILLING' }), 'GetAlternateContact');
    case 'moto-put':
      return one(() => awsAccount('putAlternateContact', ALTERNATE_CONTACT), 'PutAlternateContact');
    case 'route-message': {
      let i = 0;
      const { accountIds, messageType } = workload;
      return one(
        () => jsonRequest('POST', '/_rdmc/messages', { AccountId: accountIds[i++ % accountIds.length], MessageType: messageType, Subject: 'bench', Body: 'bench' }),
        'POST /_rdmc/messages',
      );
    }
  }
}
