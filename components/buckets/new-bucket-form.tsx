"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button.tsx";
import { Field } from "@/components/ui/field.tsx";
import { bucketHref, newBucketNameSchema } from "./bucket-name.ts";
import styles from "./buckets.module.css";

/** Opens a bucket's page by name, where its first rule is created: a bucket exists once it has a configuration. */
export function NewBucketForm() {
  const router = useRouter();
  const id = useId();
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = newBucketNameSchema.safeParse(name.trim());
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? "invalid bucket name");
      return;
    }
    setError(null);
    router.push(bucketHref(parsed.data));
  }

  return (
    <form className={styles.newBucket} onSubmit={submit} noValidate aria-label="New bucket">
      <Field label="Bucket name" htmlFor={id} error={error}>
        <input
          id={id}
          type="text"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setError(null);
          }}
          placeholder="my-bucket"
          aria-invalid={Boolean(error)}
          aria-describedby={error ? `${id}-error` : undefined}
          autoComplete="off"
          spellCheck={false}
        />
      </Field>
      <Button type="submit" variant="primary">
        New bucket
      </Button>
    </form>
  );
}
