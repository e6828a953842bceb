package io.kassa.engine.server.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The node's hints of which member a code named: learnt, replaced, and bounded. */
class MemberIdHintsTest {

    @Test
    void aCodeNamesTheMemberLastLearnt() {
        MemberIdHints hints = new MemberIdHints();
        assertThat(hints.memberId("member-0001")).isEmpty();
        hints.learn("member-0001", "M1");
        assertThat(hints.memberId("member-0001")).contains("M1");
        hints.learn("member-0001", "M2");
        assertThat(hints.memberId("member-0001")).contains("M2");
    }

    @Test
    void pastItsBoundItForgetsAndRelearns() {
        MemberIdHints hints = new MemberIdHints(3);
        hints.learn("a", "M1");
        hints.learn("b", "M2");
        hints.learn("c", "M3");
        hints.learn("c", "M3b"); // a known code replaces, it does not grow
        assertThat(hints.size()).isEqualTo(3);
        hints.learn("d", "M4");
        assertThat(hints.size()).isEqualTo(1);
        assertThat(hints.memberId("a")).isEmpty();
        assertThat(hints.memberId("d")).contains("M4");
    }

    @Test
    void aBoundBelowOneIsRefused() {
        assertThatThrownBy(() -> new MemberIdHints(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
