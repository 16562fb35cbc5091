export default function SignIn() {
  return <main>sign in</main>;
}
