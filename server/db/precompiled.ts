import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** Stands in for one argument while the query is compiled; replaced by the value at each run. */
class Slot {
  constructor(readonly index: number) {}
}

/**
 * A query built and compiled by Kysely once, then run many times with new arguments: the hot
 * reads (the session of every request, the organisation page) skip Kysely's builder and compiler,
 * which cost more than SQLite's own work for a point read. With the statement cache of
 * `openDatabase` the statement is prepared once too.
 *
 * `build` receives stand-ins for the arguments and must use each as one value (a comparison, a
 * `limit`, an item of a fixed list). An argument that is itself a list (an `in` of any length)
 * cannot be precompiled, and a query that leaves an argument out is refused at its first run.
 *
 *     const byId = precompiled((db, id: number) => db.selectFrom('sectors').selectAll().where('id', '=', id));
 *     const row = await byId.takeFirst(db, 3);
 */
export function precompiled<Args extends unknown[], Row>(
  build: (db: Kysely<Database>, ...args: Args) => Compilable<Row>,
) {
  let template: { compiled: CompiledQuery<Row>; slots: Array<number | null> } | null = null;

  function compiledFor(db: Kysely<Database>, args: Args): CompiledQuery<Row> {
    if (template === null) {
      const stand = Array.from({ length: args.length }, (_, i) => new Slot(i)) as unknown as Args;
      const compiled = build(db, ...stand).compile();
      const slots = compiled.parameters.map((p) => (p instanceof Slot ? p.index : null));
      const used = new Set(slots.filter((s) => s !== null));
      if (used.size !== args.length) {
        throw new Error(`precompiled: ${args.length - used.size} argument(s) not used in the query`);
      }
      template = { compiled, slots };
    }
    const { compiled, slots } = template;
    return {
      ...compiled,
      parameters: compiled.parameters.map((p, i) => {
        const slot = slots[i]!;
        return slot === null ? p : args[slot];
      }),
    };
  }

  return {
    /** Every row. */
    async all(db: Kysely<Database>, ...args: Args): Promise<Row[]> {
      return (await db.executeQuery(compiledFor(db, args))).rows;
    },
    /** The first row, or undefined. */
    async takeFirst(db: Kysely<Database>, ...args: Args): Promise<Row | undefined> {
      return (await db.executeQuery(compiledFor(db, args))).rows[0];
    },
  };
}
