// A modal yes/no before something irreversible. Only the explicit button counts as yes: Escape,
// closing the dialog, or a dialog that cannot be shown at all (VS Code refuses dialogs in an
// extension test run) all mean no.

import { showErrorMessage, showWarningMessage } from '../safeMessages';

export async function confirmModal(message: string, detail: string, yes: string): Promise<boolean> {
  try {
    return (await showWarningMessage(message, { modal: true, detail }, yes)) === yes;
  } catch {
    return false;
  }
}

/** An error the user must read before going on (modal), or a plain notification; never rejects. */
export function showRefusal(message: string, detail: string | undefined, modal: boolean): void {
  showErrorMessage(message, { modal, detail }).then(undefined, () => {
    // a dialog refused (extension test run): the notification still says it
    void showErrorMessage(detail ? `${message}: ${detail}` : message);
  });
}
