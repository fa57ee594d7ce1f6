/**
 * Helpers for the compile-time tests in this folder (type-checked by `pnpm typecheck`).
 *
 * - `expectType<T>(value)` compiles when `value` is assignable to `T`.
 * - `expectEqual<A, B>(true)` compiles only when `A` and `B` are the same type: not merely
 *   assignable one way, and never through `any`.
 */
export type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

export function expectType<T>(value: T): T {
  return value;
}

export function expectEqual<A, B>(proof: Equal<A, B>): Equal<A, B> {
  return proof;
}
