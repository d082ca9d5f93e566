package dev.ostiary.support;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;

/** A PKCE pair, made by the Nimbus SDK. */
public record Pkce(CodeVerifier verifier, CodeChallenge challenge) {

    public static Pkce s256() {
        CodeVerifier verifier = new CodeVerifier();
        return new Pkce(verifier, CodeChallenge.compute(CodeChallengeMethod.S256, verifier));
    }

    public String query() {
        return "&code_challenge=" + challenge.getValue() + "&code_challenge_method=S256";
    }
}
