package io.kassa.engine.server.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.rules.ChainRules;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Versions only move forward: an announcement that arrives late changes nothing. */
class LiveRulesTest {

    private static final ChainRules RULES = ChainRulesSource.fromEnvironment(Map.of());

    @Test
    void aNewerVersionIsTakenAnOlderOrEqualOneIsNot() {
        LiveRules live = new LiveRules(new LiveRules.Version(3, RULES, "v3"));
        assertThat(live.offer(new LiveRules.Version(2, RULES, "v2"))).isFalse();
        assertThat(live.offer(new LiveRules.Version(3, RULES, "v3 again"))).isFalse();
        assertThat(live.current().document()).isEqualTo("v3");
        assertThat(live.offer(new LiveRules.Version(5, RULES, "v5"))).isTrue();
        assertThat(live.current().number()).isEqualTo(5);
        assertThat(live.offer(new LiveRules.Version(4, RULES, "v4"))).isFalse();
        assertThat(live.current().document()).isEqualTo("v5");
        assertThat(live.get()).isSameAs(RULES);
    }
}
