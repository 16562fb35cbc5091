import { signInInputSchema } from "../../auth/sign-in-input.ts";
import { CSRF_COOKIE, SESSION_COOKIE, serializeCookie } from "../../auth/cookies.ts";
import { AppError } from "../../errors/app-error.ts";
import { protectedProcedure, publicProcedure, router } from "../trpc.ts";


export const authRouter = router({
  /** Who is signed in, or null: the console's first question. */
  session: publicProcedure.query(({ ctx }) => (ctx.session ? { user: ctx.session.user, expiresAt: ctx.session.expiresAt } : null)),

  signIn: publicProcedure.input(signInInputSchema).mutation(async ({ ctx, input }) => {
    if (!ctx.sameOrigin) throw new AppError("Forbidden", "sign-in from another origin is refused");
    const { token, session } = await ctx.auth.signIn(input.user, input.password);
    const maxAgeSeconds = ctx.sessionTtlMs / 1000;
    ctx.setCookies([
      serializeCookie(SESSION_COOKIE, token, { maxAgeSeconds, httpOnly: true }),
      serializeCookie(CSRF_COOKIE, session.csrfToken, { maxAgeSeconds, httpOnly: false }),
    ]);
    return { user: session.user, expiresAt: session.expiresAt };
  }),

  signOut: protectedProcedure.mutation(async ({ ctx }) => {
    await ctx.auth.signOut(ctx.sessionToken);
    ctx.setCookies([
      serializeCookie(SESSION_COOKIE, "", { maxAgeSeconds: 0, httpOnly: true }),
      serializeCookie(CSRF_COOKIE, "", { maxAgeSeconds: 0, httpOnly: false }),
    ]);
    return { ok: true };
  }),
});
