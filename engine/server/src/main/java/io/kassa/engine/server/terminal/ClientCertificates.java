package io.kassa.engine.server.terminal;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** The terminal ids a client certificate vouches for: its subject CN and its DNS SANs. */
final class ClientCertificates {

    /** SAN type of a dNSName (RFC 5280 GeneralName tag 2). */
    private static final int DNS_NAME = 2;

    private ClientCertificates() {
    }

    /** True when the leaf certificate names {@code terminalId}. */
    static boolean names(List<Certificate> chain, String terminalId) {
        return !chain.isEmpty() && chain.get(0) instanceof X509Certificate leaf
                && namesOf(leaf).contains(terminalId);
    }

    static List<String> namesOf(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            String subject = certificate.getSubjectX500Principal().getName();
            for (Rdn rdn : new LdapName(subject).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    names.add(String.valueOf(rdn.getValue()));
                }
            }
        } catch (InvalidNameException unparseable) {
            // A subject we cannot parse names nobody.
        }
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    if (alternative.size() == 2 && Integer.valueOf(DNS_NAME).equals(
                            alternative.get(0))) {
                        names.add(String.valueOf(alternative.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException unparseable) {
            // As above: no names from a broken extension.
        }
        return names;
    }
}
