/** A small least-recently-used map (Map keeps insertion order: a hit moves to the end). */
export class LruCache<K, V> {
  private map = new Map<K, V>();
  constructor(private max: number) {}

  get(k: K): V | undefined {
    const v = this.map.get(k);
    // recency only matters once the map is full: below that a hit costs one lookup
    if (v !== undefined && this.map.size >= this.max) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }

  set(k: K, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }

  delete(k: K): void {
    this.map.delete(k);
  }

  get size(): number {
    return this.map.size;
  }
}
