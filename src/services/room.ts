/**
 * The places a directory has left under one of its quotas, counted once: each new folder or
 * member takes one, and the first that finds none left is refused with `exceeded`. Callers
 * count under the directory's lock (src/storage/locks.ts), so the count cannot go stale
 * before what takes the places is written.
 */
export class Room {
  constructor(
    private left: number,
    private readonly exceeded: () => Error,
  ) {}

  take(places = 1): void {
    if (places > this.left) throw this.exceeded();
    this.left -= places;
  }
}
