"use client";

import { useMutation } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Field } from "@/components/ui/field.tsx";
import { signInInputSchema } from "@/server/auth/sign-in-input.ts";

/** Only same-site paths: `next` comes from the URL, and an absolute URL there would be an open redirect. */
function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export function SignInForm() {
  const trpc = useTRPC();
  const params = useSearchParams();
  const [user, setUser] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<{ user?: string; password?: string }>({});
  const signIn = useMutation(trpc.auth.signIn.mutationOptions({ onSuccess: () => window.location.assign(safeNext(params.get("next"))) }));

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = signInInputSchema.safeParse({ user, password });
    if (!parsed.success) {
      const next: typeof errors = {};
      for (const issue of parsed.error.issues) next[issue.path[0] as "user" | "password"] ??= issue.message;
      setErrors(next);
      return;
    }
    setErrors({});
    signIn.mutate(parsed.data);
  }

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <Field label="User name" htmlFor="user" error={errors.user}>
        <input id="user" type="text" autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} aria-invalid={Boolean(errors.user)} autoFocus />
      </Field>
      <Field label="Password" htmlFor="password" error={errors.password}>
        <input id="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} aria-invalid={Boolean(errors.password)} />
      </Field>
      {signIn.isError ? (
        <div className="form-error" role="alert">
          {signIn.error.message}
        </div>
      ) : null}
      <Button type="submit" variant="primary" disabled={signIn.isPending}>
        {signIn.isPending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
