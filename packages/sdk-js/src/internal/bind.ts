import type { APIClient } from '../core/client';
import type { FinalRequest } from '../core/request-options';

/**
 * A route: a verb letter followed by the path relative to `baseUrl`, where `{}` stands for the id
 * argument (`'pcards/{}/freeze'`).
 *
 * | letter | HTTP   | arguments after the id        |
 * | ------ | ------ | ----------------------------- |
 * | G      | GET    | options                       |
 * | Q      | GET    | query, options (one object)   |
 * | L      | GET    | query, options (paginated)    |
 * | P      | POST   | body, options                 |
 * | p      | POST   | options (no body)             |
 * | A      | PATCH  | body, options                 |
 * | D      | DELETE | options                       |
 */
export type Route = `${'G' | 'Q' | 'L' | 'P' | 'p' | 'A' | 'D'}${string}`;

/** Resource name → method name → route, nested for sub-resources (`testHelpers.authorizations`). */
export interface RouteTable {
  [name: string]: Route | RouteTable;
}

const METHODS = { G: 'GET', Q: 'GET', L: 'GET', P: 'POST', p: 'POST', A: 'PATCH', D: 'DELETE' } as const;

/**
 * Builds the resource objects, one method per route. The route table is generated from the spec
 * (`src/generated/resources.ts`) together with the typed interfaces; only the table ships, which
 * keeps the browser bundle small.
 */
export function bindResources<T>(client: APIClient, routes: RouteTable): T {
  const resource: Record<string, unknown> = {};
  for (const name in routes) {
    const route = routes[name] as Route | RouteTable;
    if (typeof route !== 'string') {
      resource[name] = bindResources(client, route);
      continue;
    }
    const verb = route[0] as keyof typeof METHODS;
    const template = route.slice(1);
    resource[name] = (...args: unknown[]) => {
      let path = template;
      if (path.includes('{}')) {
        const id = args.shift() as string;
        if (!id) throw new TypeError(`${name}() needs an id`);
        path = path.replace('{}', encodeURIComponent(id));
      }
      const hasData = verb === 'L' || verb === 'Q' || verb === 'P' || verb === 'A';
      const req: FinalRequest = { method: METHODS[verb], path, options: args[hasData ? 1 : 0] as never };
      if (verb === 'L') return client.requestList({ ...req, query: args[0] as object });
      if (verb === 'Q') return client.request({ ...req, query: args[0] as object });
      if (hasData) req.body = args[0];
      return client.request(req);
    };
  }
  return resource as T;
}
