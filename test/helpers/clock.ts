/** The package's manual clock, under the name the tests have always used. */
export { ManualClock as TestClock } from '../../src/domain/advancing-clock.js';
