import type { Rand } from '../contract';

/** What each draw adds to the state (mulberry32's Weyl sequence). */
const STEP = 0x6d2b79f5;

/**
 * A seeded pseudo-random source (mulberry32: 32-bit state, one multiply-xorshift
 * per draw). Small and fast, and the same seed always yields the same sequence,
 * which is all the simulation needs; it is not for secrets.
 */
export class SeededRand implements Rand {
  private state: number;
  /** The character codes `string` last drew, kept for the next string of that length (a container ID each start). */
  private codes: number[] = [];

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    let t = (this.state = (this.state + STEP) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /**
   * Built flat in one call from the characters' codes: `+=` per character would leave a rope of n nodes (32 bytes
   * each) in every name and uid, and a join of one-character strings costs twice as much (each container ID is 64 of
   * them). For the short strings of names and IDs (the codes go as arguments).
   */
  string(n: number, alphabet: string): string {
    const codes = this.codes.length === n ? this.codes : (this.codes = new Array<number>(n));
    for (let i = 0; i < n; i++) codes[i] = alphabet.charCodeAt(Math.floor(this.next() * alphabet.length));
    return String.fromCharCode.apply(null, codes);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }


  /**
   * Moves the stream on by `draws` draws without making them: each draw adds the same step to the state, so the
   * state is all a later `new SeededRand(state)` needs to make those draws again (an Event's uid, built only when read).
   */
  skip(draws: number): void {
    this.state = (this.state + Math.imul(STEP, draws)) >>> 0;
  }

  /** The current state, so a saved playground resumes the same stream. */
  getState(): number {
    return this.state;
  }

  setState(s: number): void {
    this.state = s >>> 0;
  }
}
