import { describe, expect, it } from "vitest";
import { Router, type Route } from "./router.ts";

function route(method: string, path: string): Route {
  return { method, path, handler: () => ({ json: { method, path } }) };
}

function matchedPath(router: Router, method: string, pathname: string): string | undefined {
  const m = router.match(method, pathname);
  return typeof m === "object" ? m.route.path : undefined;
}

describe("Router.match", () => {
  const router = new Router().add(
    route("GET", "/api/v1/targets"),
    route("POST", "/api/v1/targets"),
    route("GET", "/api/v1/targets/:arn"),
    route("DELETE", "/api/v1/targets/:arn"),
    route("POST", "/api/v1/targets/:arn/dead-letters/retry"),
    route("GET", "/api/v1/buckets/:bucket/rules/:ruleId"),
  );

  it("matches the method and the exact path", () => {
    expect(matchedPath(router, "GET", "/api/v1/targets")).toBe("/api/v1/targets");
    expect(matchedPath(router, "POST", "/api/v1/targets")).toBe("/api/v1/targets");
    expect(matchedPath(router, "DELETE", "/api/v1/targets/x")).toBe("/api/v1/targets/:arn");
  });

  it("decodes path parameters, so an ARN may be sent with %3A", () => {
    const m = router.match("GET", "/api/v1/targets/arn%3Aherald%3Asqs%3Aus-east-1%3Aorders%3Awebhook");
    expect(m).toMatchObject({ params: { arn: "arn:herald:sqs:us-east-1:orders:webhook" } });
    // Unencoded colons work as well.
    expect(router.match("GET", "/api/v1/targets/arn:herald:sqs:us-east-1:orders:webhook")).toMatchObject({
      params: { arn: "arn:herald:sqs:us-east-1:orders:webhook" },
    });
  });

  it("decodes an encoded slash inside a parameter without splitting the path on it", () => {
    expect(router.match("GET", "/api/v1/targets/a%2Fb")).toMatchObject({ params: { arn: "a/b" } });
  });

  it("names several parameters", () => {
    expect(router.match("GET", "/api/v1/buckets/photos/rules/jpeg%20rule")).toMatchObject({
      route: { path: "/api/v1/buckets/:bucket/rules/:ruleId" },
      params: { bucket: "photos", ruleId: "jpeg rule" },
    });
  });

  it("says methodNotAllowed when the path exists with other methods only", () => {
    expect(router.match("PUT", "/api/v1/targets")).toBe("methodNotAllowed");
    expect(router.match("PATCH", "/api/v1/targets/x")).toBe("methodNotAllowed");
    expect(router.match("GET", "/api/v1/targets/x/dead-letters/retry")).toBe("methodNotAllowed");
  });

  it("matches the method case-sensitively, as HTTP methods are", () => {
    expect(router.match("get", "/api/v1/targets")).toBe("methodNotAllowed");
  });

  it.each(["/api/v1/nothing", "/api/v1/targets/", "/api/v1/targets/a/b", "/api/v1/targets//dead-letters/retry", "/api/v1", "", "/api/v1/targets?x=1"])(
    "returns undefined for the unknown path %j",
    (pathname) => {
      expect(router.match("GET", pathname)).toBeUndefined();
    },
  );

  it("treats regex characters in literal segments literally", () => {
    const special = new Router().add(route("GET", "/v1.0/a+b/(x)/[y]/c*/$d^/e?/f|g/h{2}"));
    expect(matchedPath(special, "GET", "/v1.0/a+b/(x)/[y]/c*/$d^/e?/f|g/h{2}")).toBe("/v1.0/a+b/(x)/[y]/c*/$d^/e?/f|g/h{2}");
    // Each of these would match if a special character were left unescaped.
    for (const near of ["/v1x0/a+b/(x)/[y]/c*/$d^/e?/f|g/h{2}", "/v1.0/aab/(x)/[y]/c*/$d^/e?/f|g/h{2}", "/v1.0/a+b/x/[y]/c*/$d^/e?/f|g/h{2}", "/v1.0/a+b/(x)/y/c*/$d^/e?/f|g/h{2}", "/v1.0/a+b/(x)/[y]/c/$d^/e?/f|g/h{2}", "/v1.0/a+b/(x)/[y]/c*/$d^/e/f|g/h{2}", "/v1.0/a+b/(x)/[y]/c*/$d^/e?/f/h{2}", "/v1.0/a+b/(x)/[y]/c*/$d^/e?/f|g/hh"]) {
      expect(special.match("GET", near), near).toBeUndefined();
    }
  });

  it("prefers the first added route when several match", () => {
    const r = new Router().add(route("GET", "/items/special"), route("GET", "/items/:id"));
    expect(matchedPath(r, "GET", "/items/special")).toBe("/items/special");
    expect(r.match("GET", "/items/other")).toMatchObject({ params: { id: "other" } });
  });

  it("returns the route's handler with the match", () => {
    const handler = () => ({ status: 204 as const });
    const r = new Router().add({ method: "GET", path: "/healthz", public: true, handler });
    const m = r.match("GET", "/healthz");
    expect(m).toMatchObject({ route: { public: true }, params: {} });
    expect(typeof m === "object" && m.route.handler).toBe(handler);
  });
});

describe("malformed percent-encoding", () => {
  it("is a ValidationError naming the parameter, not a crash", async () => {
    const { Router } = await import("./router.ts");
    const router = new Router().add({ method: "GET", path: "/api/v1/targets/:arn", handler: () => ({ json: null }) });
    expect(() => router.match("GET", "/api/v1/targets/%E0%A4%A")).toThrow(expect.objectContaining({ code: "ValidationError", field: "arn" }));
  });
});
