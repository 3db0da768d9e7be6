import type { ActionDefinition } from './action.js';
import { contactActions } from './actions/contacts.js';
import { directoryActions } from './actions/directory.js';
import { verificationActions } from './actions/verification.js';

/** ACTIONS: every ResourceDirectoryMaster 2022-04-19 action rdmc serves, by wire name. */
export const ACTIONS: Readonly<Record<string, ActionDefinition>> = {
  ...directoryActions,
  ...contactActions,
  ...verificationActions,
};

export const hasAction = (name: string) => Object.hasOwn(ACTIONS, name);
