import type { ButtonHTMLAttributes } from "react";

type Variant = "primary" | "secondary" | "danger" | "ghost";

export function Button({ variant = "secondary", small, className, type = "button", ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; small?: boolean }) {
  const classes = ["btn", variant === "secondary" ? "" : variant, small ? "small" : "", className ?? ""].filter(Boolean).join(" ");
  return <button type={type} className={classes} {...props} />;
}
