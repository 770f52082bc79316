import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';

/** One plain-text mail. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends mail over the configured SMTP server. */
export interface Mailer {
  send: (message: MailMessage) => Promise<void>;
  close: () => void;
}

/**
 * A mailer for the SMTP server of SMTP_URL, or null when no mail is configured (the links are
 * then shown to copy). Short timeouts: a request that sends mail should not hang on a dead server.
 */
export function createMailer(mail: Config['mail']): Mailer | null {
  if (mail === null) return null;
  const transport = nodemailer.createTransport({
    url: mail.smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    send: async (message) => {
      await transport.sendMail({ from: mail.from, ...message });
    },
    close: () => transport.close(),
  };
}
