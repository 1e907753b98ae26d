//! Messages about files that could not be read.

use leptos::prelude::*;

/// An alert listing one message per failed file; absent when all is well.
#[component]
pub fn ErrorList(
    /// Messages naming the file, and the line and column where known.
    errors: Signal<Vec<String>>,
) -> impl IntoView {
    view! {
        <Show when=move || !errors.get().is_empty()>
            <div role="alert" data-testid="error" class="error">
                <ul>
                    <For each=move || errors.get() key=|message| message.clone() let:message>
                        <li>{message}</li>
                    </For>
                </ul>
            </div>
        </Show>
    }
}
