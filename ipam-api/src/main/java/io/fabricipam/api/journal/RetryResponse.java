package io.fabricipam.api.journal;

import io.fabricipam.dhcp.journal.JournalService;
import java.util.List;

/**
 * What {@code POST /api/v1/journal/unstored/retry} did.
 *
 * @param stored  now in the database; no longer unstored
 * @param failing still refused, with the latest error; still unstored
 * @param dropped their scope was deleted: the row is dropped, its event kept in the history
 */
record RetryResponse(List<UnstoredChangeResponse> stored, List<UnstoredChangeResponse> failing,
        List<UnstoredChangeResponse> dropped) {

    static RetryResponse of(JournalService.RetryOutcome o) {
        return new RetryResponse(o.stored().stream().map(UnstoredChangeResponse::of).toList(),
                o.failing().stream().map(UnstoredChangeResponse::of).toList(),
                o.dropped().stream().map(UnstoredChangeResponse::of).toList());
    }
}
