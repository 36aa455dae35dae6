// Labelled form controls. Each control gets its label, an optional hint, and an error shown right beside it
// (linked with aria-describedby and aria-invalid so assistive technology reads it with the field).

import { useId, useState, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

export type ControlProps = {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
};

type FieldProps = {
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
  id?: string;
  className?: string;
  children: (control: ControlProps) => ReactNode;
};

/** A label, a control rendered by children, a hint and an error message. */
export function Field({ label, error, hint, id, className, children }: FieldProps) {
  const autoId = useId();
  const controlId = id ?? autoId;
  const hintId = hint ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={['field', error ? 'field--invalid' : '', className ?? ''].filter(Boolean).join(' ')}>
      <label className="field__label" htmlFor={controlId}>
        {label}
      </label>
      {children({ id: controlId, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {error && (
        <p id={errorId} className="field__error">
          {error}
        </p>
      )}
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
    </div>
  );
}

type Common = { label: ReactNode; error?: string; hint?: ReactNode; className?: string };

export type TextFieldProps = Common &
  Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'className'> & {
    value: string;
    onChange: (value: string) => void;
  };

export function TextField({ label, error, hint, className, value, onChange, ...input }: TextFieldProps) {
  return (
    <Field label={label} error={error} hint={hint} className={className} id={input.id}>
      {(control) => <input className="input" value={value} onChange={(e) => onChange(e.target.value)} {...input} {...control} />}
    </Field>
  );
}

/** A masked input for a secret: starts empty, never prefilled, and can be revealed only while typing. */
export function SecretField({ label, error, hint, className, value, onChange, ...input }: TextFieldProps) {
  const [shown, setShown] = useState(false);
  return (
    <Field label={label} error={error} hint={hint} className={className} id={input.id}>
      {(control) => (
        <div className="secret-input">
          <input
            className="input"
            type={shown ? 'text' : 'password'}
            autoComplete="new-password"
            spellCheck={false}
            value={value}
            onChange={(e) => onChange(e.target.value)}
            {...input}
            {...control}
          />
          <button type="button" className="btn btn--ghost btn--sm" aria-pressed={shown} onClick={() => setShown((s) => !s)}>
            {shown ? 'Hide' : 'Show'}
            <span className="visually-hidden"> {typeof label === 'string' ? label : 'value'}</span>
          </button>
        </div>
      )}
    </Field>
  );
}

export type TextAreaFieldProps = Common &
  Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'onChange' | 'value' | 'className'> & {
    value: string;
    onChange: (value: string) => void;
  };

export function TextAreaField({ label, error, hint, className, value, onChange, ...area }: TextAreaFieldProps) {
  return (
    <Field label={label} error={error} hint={hint} className={className} id={area.id}>
      {(control) => <textarea className="input textarea" value={value} onChange={(e) => onChange(e.target.value)} {...area} {...control} />}
    </Field>
  );
}

export type SelectOption = { value: string; label: string };

export type SelectFieldProps = Common &
  Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange' | 'value' | 'className'> & {
    value: string;
    options: readonly SelectOption[];
    onChange: (value: string) => void;
  };

export function SelectField({ label, error, hint, className, value, options, onChange, ...select }: SelectFieldProps) {
  return (
    <Field label={label} error={error} hint={hint} className={className} id={select.id}>
      {(control) => (
        <select className="input select" value={value} onChange={(e) => onChange(e.target.value)} {...select} {...control}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export type CheckboxFieldProps = {
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  error?: string;
  hint?: ReactNode;
  className?: string;
  disabled?: boolean;
};

export function CheckboxField({ label, checked, onChange, error, hint, className, disabled }: CheckboxFieldProps) {
  const id = useId();
  const errorId = error ? `${id}-error` : undefined;
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className={['field', 'field--checkbox', error ? 'field--invalid' : '', className ?? ''].filter(Boolean).join(' ')}>
      <input
        id={id}
        type="checkbox"
        className="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
        aria-invalid={error ? true : undefined}
        aria-describedby={[errorId, hintId].filter(Boolean).join(' ') || undefined}
      />
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {error && (
        <p id={errorId} className="field__error">
          {error}
        </p>
      )}
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
    </div>
  );
}

/** A list of problems that belong to no single field, shown at the top of a form. */
export function FormErrors({ title, problems }: { title: string; problems: string[] }) {
  if (problems.length === 0) {
    return null;
  }
  return (
    <div className="form-errors" role="alert">
      <p className="form-errors__title">{title}</p>
      <ul>
        {problems.map((problem) => (
          <li key={problem}>{problem}</li>
        ))}
      </ul>
    </div>
  );
}
