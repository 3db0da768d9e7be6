/**
 * Turns on the one SQLite connection: one unit of work at a time, in arrival order. A long
 * read may give its turn back between two steps and queue again behind whoever waits.
 */
export class Turns {
  private busy = false;
  private readonly waiting: Array<() => void> = [];

  async take(): Promise<void> {
    if (!this.busy) {
      this.busy = true;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Hands the connection to the next in line (who counts as busy from then on), or frees it. */
  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.busy = false;
  }
}
