package io.fabricipam.fabric.storage.redirect;

import io.fabricipam.fabric.storage.target.PathChoice;
import java.util.List;

/** Where the redirector sends logins: backed by the live target health (see {@code StorageFabric}). */
public interface LoginRouter {

    /** The target a normal-session login for {@code targetName} goes to now, or why none. */
    PathChoice route(String targetName);

    /** The target names a discovery session lists (behind the redirector's own address). */
    List<String> advertisedTargetNames();
}
