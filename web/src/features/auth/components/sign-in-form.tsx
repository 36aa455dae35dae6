// The sign-in form. Wrong credentials and rate limiting are shown in the form itself.

import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { FormErrors, SecretField, TextField } from '@/components/ui/form';
import { ApiError, fieldErrors } from '@/lib/api-client';
import type { Session } from '@/types/api';
import { useLogin } from '../api/login';

export function SignInForm({ onSignedIn }: { onSignedIn: (session: Session, sameUser: boolean) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const login = useLogin({ onSuccess: onSignedIn });

  function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    setErrors({});
    login.mutate(
      { email: email.trim(), password },
      {
        onError: (error) => {
          if (!(error instanceof ApiError)) {
            return;
          }
          if (error.status === 401) {
            setProblem('That email and password do not match an account.');
          } else if (error.status === 422) {
            setErrors(fieldErrors(error));
            if (error.details.length === 0) {
              setProblem(error.message);
            }
          } else if (error.status === 429) {
            setProblem(error.message);
          }
        },
      },
    );
  }

  return (
    <form className="stack" onSubmit={submit} noValidate aria-label="Sign in">
      <FormErrors title="Could not sign in" problems={problem ? [problem] : []} />
      <TextField label="Email" type="email" autoComplete="username" value={email} error={errors.email} onChange={setEmail} />
      <SecretField label="Password" autoComplete="current-password" value={password} error={errors.password} onChange={setPassword} />
      <Button type="submit" variant="primary" busy={login.isPending}>
        Sign in
      </Button>
    </form>
  );
}
