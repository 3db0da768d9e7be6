import { testDatabase } from '../helpers/store-suite.js';
import { contract } from './store-contract.js';

/**
 * The storage contract against a real SQLite file and a real PostgreSQL database in the same
 * run: whatever a service can observe through a store must be the same on both.
 */
contract('sqlite', testDatabase('sqlite', 'store contract'));
contract('postgres', testDatabase('postgres', 'store contract'));
