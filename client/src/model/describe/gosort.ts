/**
 * Go's `sort.Sort` (pattern-defeating quicksort, as in the Go release
 * kubectl 1.32 is built with), so that elements with equal keys end up in
 * the order kubectl prints them. It is not stable: up to 12 elements it is
 * an insertion sort (equal keys keep their input order); above that the
 * pivot choice and partitioning move equal keys around, deterministically.
 * A JavaScript sort is stable and so differs from kubectl past 12 elements.
 *
 * Follows src/sort/zsortinterface.go (pdqsort, partition, partitionEqual,
 * partialInsertionSort, breakPatterns, choosePivot) and src/sort/sort.go
 * (Sort, xorshift, nextPowerOfTwo).
 */
export function goSort<T>(items: T[], less: (a: T, b: T) => boolean): void {
  const n = items.length;
  if (n <= 1) return;
  const s = new Sorter(items, less);
  s.pdq(0, n, bitLen(n));
}

/** sort.go's sortedHint: what choosePivot saw of the range's order. */
type Hint = 'unknown' | 'increasing' | 'decreasing';

/** math/bits.Len for the non-negative lengths a list can have. */
function bitLen(x: number): number {
  return x <= 0 ? 0 : 32 - Math.clz32(x);
}

class Sorter<T> {
  constructor(private readonly d: T[], private readonly lessFn: (a: T, b: T) => boolean) {}

  private less(i: number, j: number): boolean {
    return this.lessFn(this.d[i], this.d[j]);
  }

  private swap(i: number, j: number): void {
    const t = this.d[i];
    this.d[i] = this.d[j];
    this.d[j] = t;
  }

  private insertion(a: number, b: number): void {
    for (let i = a + 1; i < b; i++) for (let j = i; j > a && this.less(j, j - 1); j--) this.swap(j, j - 1);
  }

  private siftDown(lo: number, hi: number, first: number): void {
    let root = lo;
    for (;;) {
      let child = 2 * root + 1;
      if (child >= hi) return;
      if (child + 1 < hi && this.less(first + child, first + child + 1)) child++;
      if (!this.less(first + root, first + child)) return;
      this.swap(first + root, first + child);
      root = child;
    }
  }

  private heap(a: number, b: number): void {
    const hi = b - a;
    for (let i = Math.floor((hi - 1) / 2); i >= 0; i--) this.siftDown(i, hi, a);
    for (let i = hi - 1; i >= 0; i--) {
      this.swap(a, a + i);
      this.siftDown(0, i, a);
    }
  }

  pdq(a: number, b: number, limit: number): void {
    let balanced = true;
    let partitioned = true;
    for (;;) {
      const length = b - a;
      if (length <= 12) {
        this.insertion(a, b);
        return;
      }
      if (limit === 0) {
        this.heap(a, b);
        return;
      }
      if (!balanced) {
        this.breakPatterns(a, b);
        limit--;
      }
      let [pivot, hint]: [number, Hint] = this.choosePivot(a, b);
      if (hint === 'decreasing') {
        this.reverse(a, b);
        pivot = b - 1 - (pivot - a);
        hint = 'increasing';
      }
      if (balanced && partitioned && hint === 'increasing' && this.partialInsertion(a, b)) return;
      // Many keys equal to the one before this range: put those first and go on with the rest.
      if (a > 0 && !this.less(a - 1, pivot)) {
        a = this.partitionEqual(a, b, pivot);
        continue;
      }
      const [mid, already] = this.partition(a, b, pivot);
      partitioned = already;
      const left = mid - a;
      const right = b - mid;
      const threshold = Math.floor(length / 8);
      if (left < right) {
        balanced = left >= threshold;
        this.pdq(a, mid, limit);
        a = mid + 1;
      } else {
        balanced = right >= threshold;
        this.pdq(mid + 1, b, limit);
        b = mid;
      }
    }
  }

  private partition(a: number, b: number, pivot: number): [number, boolean] {
    this.swap(a, pivot);
    let i = a + 1;
    let j = b - 1;
    while (i <= j && this.less(i, a)) i++;
    while (i <= j && !this.less(j, a)) j--;
    if (i > j) {
      this.swap(j, a);
      return [j, true];
    }
    this.swap(i++, j--);
    for (;;) {
      while (i <= j && this.less(i, a)) i++;
      while (i <= j && !this.less(j, a)) j--;
      if (i > j) break;
      this.swap(i++, j--);
    }
    this.swap(j, a);
    return [j, false];
  }

  private partitionEqual(a: number, b: number, pivot: number): number {
    this.swap(a, pivot);
    let i = a + 1;
    let j = b - 1;
    for (;;) {
      while (i <= j && !this.less(a, i)) i++;
      while (i <= j && this.less(a, j)) j--;
      if (i > j) return i;
      this.swap(i++, j--);
    }
  }

  private partialInsertion(a: number, b: number): boolean {
    let i = a + 1;
    for (let step = 0; step < 5; step++) {
      while (i < b && !this.less(i, i - 1)) i++;
      if (i === b) return true;
      if (b - a < 50) return false;
      this.swap(i, i - 1);
      // Go shifts down to index 1 (not a) here; kept as it is.
      if (i - a >= 2) for (let j = i - 1; j >= 1 && this.less(j, j - 1); j--) this.swap(j, j - 1);
      if (b - i >= 2) for (let j = i + 1; j < b && this.less(j, j - 1); j++) this.swap(j, j - 1);
    }
    return false;
  }

  private breakPatterns(a: number, b: number): void {
    const length = b - a;
    if (length < 8) return;
    let r = BigInt(length);
    const mask = BigInt((2 ** bitLen(length)) - 1);
    const M = (1n << 64n) - 1n;
    for (let idx = a + Math.floor(length / 4) * 2 - 1; idx <= a + Math.floor(length / 4) * 2 + 1; idx++) {
      // sort.go's xorshift with the shifts (13, 17, 5): these reproduce kubectl 1.32's order of 20, 60, 120 and
      // 300 events sharing a few seconds; the (13, 7, 17) variant found in other Go sources does not.
      r ^= (r << 13n) & M;
      r ^= r >> 17n;
      r ^= (r << 5n) & M;
      let other = Number(r & mask);
      if (other >= length) other -= length;
      this.swap(idx, a + other);
    }
  }

  private choosePivot(a: number, b: number): [number, Hint] {
    const l = b - a;
    const swaps = { n: 0 };
    let i = a + Math.floor(l / 4);
    let j = a + Math.floor(l / 4) * 2;
    let k = a + Math.floor(l / 4) * 3;
    if (l >= 8) {
      if (l >= 50) {
        i = this.median(i - 1, i, i + 1, swaps);
        j = this.median(j - 1, j, j + 1, swaps);
        k = this.median(k - 1, k, k + 1, swaps);
      }
      j = this.median(i, j, k, swaps);
    }
    return [j, swaps.n === 0 ? 'increasing' : swaps.n === 12 ? 'decreasing' : 'unknown'];
  }

  private median(a: number, b: number, c: number, swaps: { n: number }): number {
    const order = (x: number, y: number): [number, number] => {
      if (this.less(y, x)) {
        swaps.n++;
        return [y, x];
      }
      return [x, y];
    };
    [a, b] = order(a, b);
    [b, c] = order(b, c);
    [a, b] = order(a, b);
    void c;
    return b;
  }

  private reverse(a: number, b: number): void {
    for (let i = a, j = b - 1; i < j; i++, j--) this.swap(i, j);
  }
}
