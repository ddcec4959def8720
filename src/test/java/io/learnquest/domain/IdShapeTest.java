package io.learnquest.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class IdShapeTest {
  /** Each shape against the regular expression that docs/api.md states it as. */
  private static final List<Object[]> SHAPES = List.of(
      new Object[] {IdShape.EVENT_ID, Pattern.compile("[A-Za-z0-9._:-]{1,128}"), 128},
      new Object[] {IdShape.LEARNER_ID, Pattern.compile("[A-Za-z0-9._:@-]{1,128}"), 128},
      new Object[] {IdShape.TENANT_ID, Pattern.compile("[a-z0-9-]{1,40}"), 40});

  @Test
  void everyCharacterIsTakenOrRefusedAsTheExpressionDoes() {
    for (Object[] shape : SHAPES) {
      IdShape id = (IdShape) shape[0];
      Pattern expression = (Pattern) shape[1];
      for (int c = 0; c < 0x3000; c++) {
        String one = String.valueOf((char) c);
        assertEquals(expression.matcher(one).matches(), id.matches(one), expression + " on U+" + Integer.toHexString(c));
        String inside = "a" + one + "1";
        assertEquals(expression.matcher(inside).matches(), id.matches(inside), expression + " inside, U+" + Integer.toHexString(c));
      }
      assertFalse(id.matches("a\uD83D\uDE00"), "a surrogate pair");
    }
  }

  @Test
  void lengthIsOneToTheMost() {
    for (Object[] shape : SHAPES) {
      IdShape id = (IdShape) shape[0];
      int most = (Integer) shape[2];
      assertFalse(id.matches(null));
      assertFalse(id.matches(""));
      assertTrue(id.matches("a"));
      assertTrue(id.matches("a".repeat(most)));
      assertFalse(id.matches("a".repeat(most + 1)));
    }
  }

  @Test
  void aRefusalSaysTheShapeInWords() {
    assertEquals("eventId must be 1 to 128 characters of A-Z a-z 0-9 . _ : -", IdShape.EVENT_ID.refusal("eventId"));
    assertEquals("courseId must be 1 to 128 characters of A-Z a-z 0-9 . _ : @ -",
        IdShape.LEARNER_ID.refusal("courseId"));
    assertEquals("tenantId must be 1 to 40 characters of a-z 0-9 -", IdShape.TENANT_ID.refusal("tenantId"));
  }
}
