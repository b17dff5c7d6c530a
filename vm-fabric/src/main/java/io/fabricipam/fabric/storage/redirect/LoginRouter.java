package io.fabricipam.fabric.storage.redirect;

import io.fabricipam.fabric.storage.target.PathChoice;
import java.util.List;

/** Where the redirector sends logins: backed by the live target health (see {@code StorageFabric}). */
public interface LoginRouter {

    /**
     * The target a normal-session login for {@code targetName} from {@code initiatorName} goes to
     * now, or why none. May take a few milliseconds to check a doubtful target.
     */
    PathChoice route(String targetName, String initiatorName);

    /** The target names a discovery session lists (behind the redirector's own address). */
    List<String> advertisedTargetNames();
}
