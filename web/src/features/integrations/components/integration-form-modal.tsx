// The create/edit modal (the seed's CreateCustomIntegrationModal): every integration field, auth-specific fields,
// default headers and the actions editor. API validation errors land beside the field they name; success and
// failure show a toast. What is typed survives an expired session (see lib/drafts.ts).

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { CheckboxField, FormErrors, SecretField, SelectField, TextAreaField, TextField } from '@/components/ui/form';
import { ApiError, fieldErrors } from '@/lib/api-client';
import { registerDraft } from '@/lib/drafts';
import { authTypeLabel } from '@/lib/format';
import { notify } from '@/lib/notifications';
import { AUTH_TYPES, type AuthType, type Integration } from '@/types/api';
import { useCreateIntegration } from '../api/create-integration';
import { saveClientSecret } from '../api/save-client-secret';
import { useUpdateIntegration } from '../api/update-integration';
import { ActionsEditor } from './actions-editor';
import { HeadersEditor } from './headers-editor';
import {
  draftFromIntegration,
  draftToInput,
  emptyDraft,
  placeErrors,
  withDisplayName,
  withoutActionErrors,
  type IntegrationDraft,
} from './integration-draft';

/** The draft key under which an open modal is kept across an expired session. */
export const INTEGRATION_MODAL_DRAFT = 'integration-modal';

/** What an open modal needs; also what is saved as its draft. */
export type IntegrationModalState = { mode: 'create' } | { mode: 'edit'; integrationId: string };
export type IntegrationModalDraft = IntegrationModalState & { draft: IntegrationDraft };

/** The modal state to open for creating, or for editing an integration. */
export function createModal(): IntegrationModalDraft {
  return { mode: 'create', draft: emptyDraft() };
}
export function editModal(integration: Integration): IntegrationModalDraft {
  return { mode: 'edit', integrationId: integration.id, draft: draftFromIntegration(integration) };
}

const AUTH_OPTIONS = AUTH_TYPES.map((value) => ({ value, label: authTypeLabel(value) }));

type Props = {
  state: IntegrationModalDraft;
  onClose: () => void;
  onSaved: (integration: Integration) => void;
};

export function IntegrationFormModal({ state, onClose, onSaved }: Props) {
  const queryClient = useQueryClient();
  const createIntegration = useCreateIntegration();
  const updateIntegration = useUpdateIntegration();
  const [modal, setModal] = useState<IntegrationModalState>(() =>
    state.mode === 'edit' ? { mode: 'edit', integrationId: state.integrationId } : { mode: 'create' },
  );
  const [draft, setDraft] = useState<IntegrationDraft>(state.draft);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [focusToken, setFocusToken] = useState(0);
  const form = useRef<HTMLFormElement>(null);
  const latest = useRef<IntegrationModalDraft>({ ...modal, draft });
  latest.current = { ...modal, draft };
  const dirty = useRef(false);

  useEffect(() => registerDraft(INTEGRATION_MODAL_DRAFT, () => latest.current), []);

  useEffect(() => {
    if (focusToken > 0) {
      form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    }
  }, [focusToken]);

  function change(next: IntegrationDraft, changedPath?: string) {
    dirty.current = true;
    setDraft(next);
    if (changedPath) {
      setErrors((current) => {
        if (!(changedPath in current)) {
          return current;
        }
        const copy = { ...current };
        delete copy[changedPath];
        return copy;
      });
    }
  }

  function set<K extends keyof IntegrationDraft>(key: K, value: IntegrationDraft[K], path: string = key) {
    change({ ...draft, [key]: value }, path);
  }

  function showErrors(fields: Record<string, string>, unplaced: string[]) {
    setErrors(fields);
    setSummary(unplaced);
    setFocusToken((n) => n + 1);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (saving) {
      return;
    }
    const { input, errors: localErrors } = draftToInput(draft);
    if (Object.keys(localErrors).length > 0) {
      showErrors(localErrors, []);
      notify({ kind: 'error', title: 'Some fields need attention.' });
      return;
    }
    setSaving(true);
    setSummary([]);
    let saved: Integration;
    try {
      saved =
        modal.mode === 'create'
          ? await createIntegration.mutateAsync(input)
          : await updateIntegration.mutateAsync({ id: modal.integrationId, input });
    } catch (error) {
      setSaving(false);
      if (error instanceof ApiError && error.status !== 401) {
        const placed = placeErrors(fieldErrors(error), draft);
        if (error.status === 409 && Object.keys(placed.fields).length === 0 && placed.unplaced.length === 0) {
          placed.fields.name = error.message;
        }
        showErrors(placed.fields, placed.unplaced);
      }
      return;
    }
    if (draft.auth_type === 'oauth2' && draft.client_secret !== '') {
      try {
        await saveClientSecret(saved.id, draft.client_secret);
        void queryClient.invalidateQueries({ queryKey: ['integrations'] });
      } catch (error) {
        // The integration exists now: stay open in edit mode so saving again updates instead of duplicating.
        setSaving(false);
        setModal({ mode: 'edit', integrationId: saved.id });
        if (error instanceof ApiError && error.status !== 401) {
          showErrors({ client_secret: error.message }, []);
        }
        return;
      }
    }
    setSaving(false);
    notify({
      kind: 'success',
      title: modal.mode === 'create' ? `Created “${saved.display_name || saved.name}”` : `Saved “${saved.display_name || saved.name}”`,
    });
    onSaved(saved);
  }

  const creating = modal.mode === 'create';
  const fieldCount = Object.keys(errors).length;

  return (
    <Dialog title={creating ? 'New integration' : `Edit ${state.draft.display_name || state.draft.name}`} onClose={onClose} dismissible={!dirty.current}>
      <form ref={form} className="dialog__form" onSubmit={submit} noValidate aria-label={creating ? 'New integration' : 'Edit integration'}>
        <div className="dialog__body">
          {fieldCount > 0 && (
            <p className="form-hint-error" role="alert">
              {fieldCount === 1 ? 'One field needs attention.' : `${fieldCount} fields need attention.`}
            </p>
          )}
          <FormErrors title="The server also said:" problems={summary} />

          <section className="form-section" aria-labelledby="integration-basics">
            <h3 id="integration-basics" className="form-section__title">
              Basics
            </h3>
            <div className="grid-2">
              <TextField
                label="Display name"
                value={draft.display_name}
                placeholder="Stripe"
                error={errors.display_name}
                onChange={(value) => change(withDisplayName(draft, value), 'display_name')}
              />
              <TextField
                label="Name"
                value={draft.name}
                placeholder="stripe"
                hint="Lowercase letters, digits and _; unique in your workspace."
                error={errors.name}
                autoComplete="off"
                spellCheck={false}
                onChange={(value) => change({ ...draft, name: value, nameEdited: true }, 'name')}
              />
              <TextField
                label="Base URL"
                type="url"
                inputMode="url"
                value={draft.base_url}
                placeholder="https://api.example.com/v1"
                error={errors.base_url}
                autoComplete="off"
                spellCheck={false}
                onChange={(value) => set('base_url', value)}
              />
              <TextField
                label="Timeout (ms)"
                inputMode="numeric"
                value={draft.timeout_ms}
                placeholder="Default"
                error={errors.timeout_ms}
                onChange={(value) => set('timeout_ms', value)}
              />
            </div>
            <TextAreaField label="Description" rows={2} value={draft.description} error={errors.description} onChange={(value) => set('description', value)} />
          </section>

          <section className="form-section" aria-labelledby="integration-auth">
            <h3 id="integration-auth" className="form-section__title">
              Authentication
            </h3>
            <SelectField
              label="Auth type"
              value={draft.auth_type}
              options={AUTH_OPTIONS}
              error={errors.auth_type}
              onChange={(value) => set('auth_type', value as AuthType)}
            />
            {draft.auth_type === 'api_key' && (
              <div className="grid-2">
                <SelectField
                  label="Send the API key in"
                  value={draft.api_key_location}
                  options={[
                    { value: 'header', label: 'A header' },
                    { value: 'query', label: 'A query parameter' },
                  ]}
                  error={errors['auth_config.api_key_location']}
                  onChange={(value) => set('api_key_location', value as 'header' | 'query', 'auth_config.api_key_location')}
                />
                <TextField
                  label={draft.api_key_location === 'header' ? 'Header name' : 'Query parameter name'}
                  value={draft.api_key_name}
                  placeholder={draft.api_key_location === 'header' ? 'X-API-Key' : 'api_key'}
                  error={errors['auth_config.api_key_name']}
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(value) => set('api_key_name', value, 'auth_config.api_key_name')}
                />
              </div>
            )}
            {(draft.auth_type === 'api_key' || draft.auth_type === 'bearer' || draft.auth_type === 'basic') && (
              <p className="muted">You add the secret itself on the integration's page after saving; it is stored encrypted.</p>
            )}
            {draft.auth_type === 'oauth2' && (
              <>
                <div className="grid-2">
                  <SelectField
                    label="Grant type"
                    value={draft.grant_type}
                    options={[
                      { value: 'authorization_code', label: 'Authorization code (a person connects)' },
                      { value: 'client_credentials', label: 'Client credentials (server to server)' },
                    ]}
                    error={errors['oauth_config.grant_type']}
                    onChange={(value) => set('grant_type', value as IntegrationDraft['grant_type'], 'oauth_config.grant_type')}
                  />
                  <TextField
                    label="Authorize URL"
                    type="url"
                    value={draft.authorize_url}
                    placeholder="https://provider.example.com/oauth/authorize"
                    error={errors['oauth_config.authorize_url']}
                    autoComplete="off"
                    onChange={(value) => set('authorize_url', value, 'oauth_config.authorize_url')}
                  />
                  <TextField
                    label="Token URL"
                    type="url"
                    value={draft.token_url}
                    placeholder="https://provider.example.com/oauth/token"
                    error={errors['oauth_config.token_url']}
                    autoComplete="off"
                    onChange={(value) => set('token_url', value, 'oauth_config.token_url')}
                  />
                  <TextField
                    label="Client ID"
                    value={draft.client_id}
                    error={errors['oauth_config.client_id']}
                    autoComplete="off"
                    spellCheck={false}
                    onChange={(value) => set('client_id', value, 'oauth_config.client_id')}
                  />
                  <SecretField
                    label="Client secret"
                    value={draft.client_secret}
                    hint={creating ? 'Stored encrypted; never shown again.' : 'Leave empty to keep the stored secret.'}
                    error={errors.client_secret}
                    onChange={(value) => set('client_secret', value, 'client_secret')}
                  />
                  <TextField
                    label="Scopes"
                    value={draft.scopes}
                    placeholder="read write"
                    hint="Separated by spaces or commas."
                    error={errors['oauth_config.scopes']}
                    autoComplete="off"
                    spellCheck={false}
                    onChange={(value) => set('scopes', value, 'oauth_config.scopes')}
                  />
                </div>
                <CheckboxField
                  label="Use PKCE (recommended)"
                  checked={draft.pkce}
                  error={errors['oauth_config.pkce']}
                  onChange={(value) => set('pkce', value, 'oauth_config.pkce')}
                />
              </>
            )}
          </section>

          <section className="form-section" aria-labelledby="integration-headers">
            <h3 id="integration-headers" className="form-section__title">
              Default headers
            </h3>
            <HeadersEditor headers={draft.headers} errors={errors} onChange={(headers, path) => change({ ...draft, headers }, path)} />
          </section>

          <section className="form-section" aria-labelledby="integration-actions">
            <h3 id="integration-actions" className="form-section__title">
              Actions
            </h3>
            <ActionsEditor
              actions={draft.actions}
              errors={errors}
              onChange={(actions, { changedPath, reordered }) => {
                if (reordered) {
                  setErrors((current) => withoutActionErrors(current));
                }
                change({ ...draft, actions }, changedPath);
              }}
            />
          </section>
        </div>
        <footer className="dialog__footer">
          <Button onClick={onClose} disabled={saving}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" busy={saving}>
            {creating ? 'Create integration' : 'Save changes'}
          </Button>
        </footer>
      </form>
    </Dialog>
  );
}
