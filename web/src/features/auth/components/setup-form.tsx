// First run: creates the owner account (name, email, password of at least 8 characters).

import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { FormErrors, SecretField, TextField } from '@/components/ui/form';
import { ApiError, fieldErrors } from '@/lib/api-client';
import type { Session } from '@/types/api';
import { useSetupOwner } from '../api/setup-owner';

const MIN_PASSWORD = 8;

export function SetupForm({ onDone }: { onDone: (session: Session) => void }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const setup = useSetupOwner({ onSuccess: onDone });

  function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    if (password.length < MIN_PASSWORD) {
      setErrors({ password: `Use at least ${MIN_PASSWORD} characters.` });
      return;
    }
    setErrors({});
    setup.mutate(
      { name: name.trim(), email: email.trim(), password },
      {
        onError: (error) => {
          if (error instanceof ApiError && error.status === 422) {
            setErrors(fieldErrors(error));
            if (error.details.length === 0) {
              setProblem(error.message);
            }
          }
        },
      },
    );
  }

  return (
    <form className="stack" onSubmit={submit} noValidate aria-label="Create the owner account">
      <FormErrors title="Could not create the account" problems={problem ? [problem] : []} />
      <TextField label="Your name" autoComplete="name" value={name} error={errors.name} onChange={setName} />
      <TextField label="Email" type="email" autoComplete="username" value={email} error={errors.email} onChange={setEmail} />
      <SecretField
        label="Password"
        autoComplete="new-password"
        value={password}
        hint={`At least ${MIN_PASSWORD} characters.`}
        error={errors.password}
        onChange={setPassword}
      />
      <Button type="submit" variant="primary" busy={setup.isPending}>
        Create owner account
      </Button>
    </form>
  );
}
