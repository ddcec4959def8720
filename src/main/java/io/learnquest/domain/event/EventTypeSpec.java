package io.learnquest.domain.event;

/**
 * One event type the engine accepts.
 *
 * @param name          the {@code type} value senders use
 * @param study         whether it counts as study for streaks (docs/rules.md, "Streaks")
 * @param scoreRequired whether {@code score} must be present
 * @param customBaseXp  base XP of a configured custom type (activity named after the type), or
 *                      null for built-in types whose activity follows docs/rules.md, "XP and levels"
 */
public record EventTypeSpec(String name, boolean study, boolean scoreRequired, Long customBaseXp) {
}
