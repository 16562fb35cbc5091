import { z } from "zod";

/** The sign-in form, validated with this schema in the browser and by the server. */
export const signInInputSchema = z.object({
  user: z.string().trim().min(1, "enter the user name").max(64),
  password: z.string().min(1, "enter the password").max(256),
});

export type SignInInput = z.infer<typeof signInInputSchema>;
