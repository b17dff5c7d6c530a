package io.fabricipam.fabric.storage.iscsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextParametersTest {

    @Test
    void encodesPairsWithNulTerminatorsInOrder() {
        TextParameters text = TextParameters.of("TargetName", "iqn.x:a", "TargetAddress", "127.0.0.1:3261,1")
                .with("TargetName", "iqn.x:b");
        assertThat(new String(text.encode(), StandardCharsets.US_ASCII))
                .isEqualTo("TargetName=iqn.x:a\0TargetAddress=127.0.0.1:3261,1\0TargetName=iqn.x:b\0");
        assertThat(text.getAll("TargetName")).containsExactly("iqn.x:a", "iqn.x:b");
        assertThat(text.get("Missing")).isEmpty();
    }

    @Test
    void decodesWhatItEncodesAndToleratesTrailingPadding() throws Exception {
        TextParameters text = TextParameters.of("A", "1", "Empty", "", "Unicode", "d\u00e9j\u00e0");
        assertThat(TextParameters.decode(text.encode())).isEqualTo(text);
        byte[] padded = "A=1\0\0\0".getBytes(StandardCharsets.US_ASCII);
        assertThat(TextParameters.decode(padded)).isEqualTo(TextParameters.of("A", "1"));
    }

    @Test
    void refusesTextThatIsNotKeyValuePairs() {
        assertThatThrownBy(() -> TextParameters.decode("A=1\0B=2".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IscsiProtocolException.class).hasMessageContaining("not terminated");
        assertThatThrownBy(() -> TextParameters.decode("novalue\0".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IscsiProtocolException.class);
        assertThatThrownBy(() -> TextParameters.decode("=v\0".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IscsiProtocolException.class);
        assertThatThrownBy(() -> TextParameters.of("K=", "v")).isInstanceOf(IllegalArgumentException.class);
    }
}
